/**
 * `landmarks predict` for a volume folder (`<dir>/<id>/` series folders): loads a 3D model folder and
 * detects landmarks on each volume, with a progress bar. Coordinates are original voxels (x, y, z),
 * continuous with voxel i covering [i, i+1).
 */
import progressBar from './progressBar.ts';
import { normaliseImageId } from '../core/data/landmarkTable.ts';
import createVolumeDetector from '../core/models/createVolumeDetector.ts';
import { decodingFor } from '../core/selfTraining/predictCoordinates.ts';
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
): Promise<{ landmarks: Map<string, number[][]>; failed: { id: string; reason: string }[] }> {
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
  const folders = await listVolumes(imagesDir);
  const byKey = new Map([...folders].map(([id, dir]) => [normaliseImageId(id), { id, dir }]));
  const bar = progressBar('predict');
  const out = new Map<string, number[][]>();
  const failed: { id: string; reason: string }[] = [];
  bar.start(ids.length, 0, { info: '' });
  try {
    for (const wanted of ids) {
      const found = byKey.get(normaliseImageId(wanted));
      try {
        if (!found) throw new Error(`volume "${wanted}": no series folder in ${imagesDir}`);
        const volume = await readVolume(found.dir);
        out.set(found.id, await detector.detect(volume));
      } catch (error) {
        const reason = (error as Error).message;
        // Name the volume even where the reader's message does not.
        const named =
          found && !reason.includes(found.id) ? `volume "${found.id}": ${reason}` : reason;
        failed.push({ id: found?.id ?? wanted, reason: named });
      }
      bar.increment(1, { info: found?.id ?? wanted });
    }
  } finally {
    bar.stop();
    detector.dispose();
  }
  return { landmarks: out, failed };
}
