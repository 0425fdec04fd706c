/**
 * Reads the series folders of a volume folder (`<dir>/<id>/`, see volumeFolder.ts) and turns them into
 * network-ready samples (resampled to the input [D, H, W] with the physical aspect kept), with
 * landmarks (original voxels, n × 3) from a table when given. The voxel spacing comes from DICOM.
 */
import prepareVolumeSample from '../core/data/prepareVolumeSample.ts';
import type { VolumeSample } from '../core/data/types.ts';
import { itemFinder, landmarkRow } from './folderItems.ts';
import { listVolumes, readVolume } from './volumeFolder.ts';

export interface LoadVolumeOptions {
  /** Folder of `<id>/` series folders. */
  imagesDir: string;
  ids: readonly string[];
  /** Network input [D, H, W], voxels. */
  inputShape: number[];
  /** Landmarks in original voxels (x, y, z) by volume id (ids matched with normaliseImageId). */
  landmarks?: Map<string, number[][]>;
  onImage?: (done: number, total: number, id: string) => void;
}

/** The volume's landmark row, which must be 3D. */
function landmarksOf(o: LoadVolumeOptions, id: string): number[][] | undefined {
  if (!o.landmarks) return undefined;
  const shape = landmarkRow(o.landmarks, 'volume', id);
  if (shape.some((p) => p.length !== 3))
    throw new Error(`volume "${id}": the landmark table is not 3D (needs image,x1,y1,z1,...)`);
  return shape;
}

/** Loads the volumes named by `ids` (in that order). Errors name the volume and what is missing. */
export default async function loadVolumeSamples(o: LoadVolumeOptions): Promise<VolumeSample[]> {
  if (o.inputShape.length !== 3)
    throw new Error(`volumes need a 3D network input [D, H, W], got [${o.inputShape}]`);
  const find = itemFinder(await listVolumes(o.imagesDir));
  const out: VolumeSample[] = [];
  for (const [k, wanted] of o.ids.entries()) {
    const found = find(wanted);
    if (!found)
      throw new Error(`volume "${wanted}": no series folder ${wanted}/ in ${o.imagesDir}`);
    const landmarks = landmarksOf(o, wanted);
    const volume = await readVolume(found.entry);
    out.push(prepareVolumeSample(found.id, volume, o.inputShape, landmarks));
    o.onImage?.(k + 1, o.ids.length, found.id);
  }
  return out;
}
