/**
 * The worker's volume loader: one CT/CBCT series of the PACS → a volume in modality values (HU) with its
 * geometry, through the product's DICOMweb client (WADO-RS series metadata + frames in Explicit VR
 * Little Endian, so the PACS transcodes compressed slices; rescale slope/intercept applied per slice;
 * slices ordered along the normal and the slice spacing taken from ImagePositionPatient, not
 * SliceThickness: pacs/studyLoader.ts + dicom/volume.ts). Errors name the study and series.
 */
import { createPacsClient, type PacsClient } from '../../pacs/pacsClient.ts';
import { loadSeriesVolume } from '../../pacs/studyLoader.ts';
import type { DecodedVolume } from '../../dicom/types.ts';
import type { PacsRoots, VolumeItem } from '../worker/protocol.ts';

/** A DICOMweb client on the page's WADO root with its auth header (same-origin proxy). */
export function pacsClientFor(roots: PacsRoots): Promise<PacsClient> {
  return createPacsClient({ url: roots.wadoRoot, headers: roots.headers });
}

/** Loads and assembles the series of `item`; checks it is the volume the item names. */
export default async function loadVolumeItem(
  client: PacsClient,
  item: Pick<VolumeItem, 'studyUid' | 'seriesUid'>,
): Promise<DecodedVolume> {
  const where = `study ${item.studyUid} series ${item.seriesUid}`;
  let volume: DecodedVolume;
  try {
    // Frames are requested uncompressed: no codec is needed in the worker.
    volume = await loadSeriesVolume(client, {}, item.studyUid, item.seriesUid);
  } catch (err) {
    throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!volume.voxels.every(Number.isFinite))
    throw new Error(`${where}: the volume has non-finite voxel values`);
  return volume;
}
