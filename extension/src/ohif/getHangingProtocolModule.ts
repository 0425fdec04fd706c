import landmarks2d from './hps/landmarks2d.ts';
import landmarksMpr from './hps/landmarksMpr.ts';

/** Hanging protocols of the landmarks mode: 2D X-ray (one viewport) and CT/CBCT MPR. */
export default function getHangingProtocolModule() {
  return [
    { name: landmarks2d.id, protocol: landmarks2d },
    { name: landmarksMpr.id, protocol: landmarksMpr },
  ];
}
