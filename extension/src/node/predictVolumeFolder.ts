/**
 * `landmarks predict` for a volume folder (`<dir>/<id>/` series folders): loads a 3D model folder and
 * detects landmarks on each volume, with a progress bar. Coordinates are original voxels (x, y, z),
 * continuous with voxel i covering [i, i+1).
 */
import createVolumeDetector from '../core/models/createVolumeDetector.ts';
import { decodingFor } from '../core/selfTraining/predictCoordinates.ts';
import { predictEach, type ItemFailure } from './folderItems.ts';
import { loadLandmarkModel } from './modelStore.ts';
import { listVolumes, readVolume } from './volumeFolder.ts';

/**
 * @returns volume id → n × 3 landmarks in original voxels, in the order of `ids`; a volume that cannot
 *   be read or predicted is reported in `failed` and skipped, the others are still predicted
 */
export default async function predictVolumeFolder(
  modelDir: string,
  imagesDir: string,
  ids: readonly string[],
): Promise<{ landmarks: Map<string, number[][]>; failed: ItemFailure[] }> {
  const { model, metadata } = await loadLandmarkModel(modelDir);
  if (metadata.network.inputShape.length !== 3) {
    model.dispose();
    throw new Error(
      `${modelDir}: a 2D model (input [${metadata.network.inputShape}]) cannot read volumes`,
    );
  }
  const detector = createVolumeDetector(
    model,
    metadata.network.inputShape,
    decodingFor(metadata.training.heatmapTarget),
  );
  const landmarks = new Map<string, number[][]>();
  try {
    const failed = await predictEach(
      ids,
      await listVolumes(imagesDir),
      { kind: 'volume', label: 'predict', missing: () => `no series folder in ${imagesDir}` },
      async (id, dir) => {
        landmarks.set(id, await detector.detect(await readVolume(dir)));
      },
    );
    return { landmarks, failed };
  } finally {
    detector.dispose();
  }
}
