/**
 * Loads studies from the PACS for the CLI and the learning pipeline: QIDO for the series/instances,
 * WADO-RS metadata + frames (Explicit VR Little Endian, so the PACS transcodes compressed ones),
 * decoding and, for CT/CBCT, volume assembly.
 */
import { SOP_CLASS, isSrSopClass } from '../dicom/sopClasses.ts';
import { imageFromDataset } from '../dicom/imageFromDataset.ts';
import type { Codecs } from '../dicom/pixelDecode.ts';
import { assembleVolume } from '../dicom/volume.ts';
import { readPart10, type NaturalDataset } from '../dicom/datasetIo.ts';
import { isLandmarkSr, readLandmarkSr, type LandmarkSrInfo } from '../dicom/srReader.ts';
import type { DecodedImage, DecodedVolume } from '../dicom/types.ts';
import type { PacsClient } from './pacsClient.ts';

const EXPLICIT_LITTLE = '1.2.840.10008.1.2.1';

/** Decodes one instance through WADO-RS metadata + frame 1. */
export async function loadInstanceImage(
  client: PacsClient,
  codecs: Codecs,
  metadata: NaturalDataset,
): Promise<DecodedImage> {
  const studyUid = String(metadata.StudyInstanceUID);
  const seriesUid = String(metadata.SeriesInstanceUID);
  const sopUid = String(metadata.SOPInstanceUID);
  if (metadata.ModalityLUTSequence !== undefined) {
    // WADO metadata gives LUT Data (OW) as a BulkDataURI: decode the whole Part 10 instance locally.
    const part10 = await client.instance(studyUid, seriesUid, sopUid);
    return imageFromDataset(readPart10(part10, `instance ${sopUid}`), codecs);
  }
  const [frame] = await client.frames(studyUid, seriesUid, sopUid, [1]);
  // WADO metadata has a BulkDataURI instead of pixel data; mark it present for the image checks.
  return imageFromDataset({ ...metadata, PixelData: metadata.PixelData ?? [] }, codecs, {
    frameData: frame,
    transferSyntax: EXPLICIT_LITTLE,
  });
}

/** Image series of a study (not SR, not presentation states), in series-number order. */
export async function imageSeries(client: PacsClient, studyUid: string): Promise<NaturalDataset[]> {
  const series = await client.searchSeries(studyUid);
  return series
    .filter((s) => !['SR', 'PR', 'KO', 'SEG'].includes(String(s.Modality)))
    .sort((a, b) => Number(a.SeriesNumber ?? 0) - Number(b.SeriesNumber ?? 0));
}

/** The first image of the first image series of a 2D study (e.g. a cephalogram). */
export async function loadStudyImage(
  client: PacsClient,
  codecs: Codecs,
  studyUid: string,
): Promise<DecodedImage> {
  const [series] = await imageSeries(client, studyUid);
  if (!series) throw new Error(`study ${studyUid}: no image series`);
  const [metadata] = await client.seriesMetadata(studyUid, String(series.SeriesInstanceUID));
  if (!metadata)
    throw new Error(`study ${studyUid} series ${String(series.SeriesInstanceUID)}: no instances`);
  return loadInstanceImage(client, codecs, metadata);
}

/** A CT/CBCT series as a volume (slices fetched a few at a time). */
export async function loadSeriesVolume(
  client: PacsClient,
  codecs: Codecs,
  studyUid: string,
  seriesUid: string,
  concurrency = 8,
): Promise<DecodedVolume> {
  const metadata = await client.seriesMetadata(studyUid, seriesUid);
  const images: DecodedImage[] = new Array(metadata.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < metadata.length) {
      const i = next++;
      images[i] = await loadInstanceImage(client, codecs, metadata[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, metadata.length) }, worker));
  return assembleVolume(metadata.map((dataset, i) => ({ dataset, image: images[i] })));
}

/** Every landmark SR of a study, read back (other SRs are skipped). */
export async function listLandmarkSrs(
  client: PacsClient,
  studyUid: string,
): Promise<LandmarkSrInfo[]> {
  const series = (await client.searchSeries(studyUid)).filter((s) => String(s.Modality) === 'SR');
  const out: LandmarkSrInfo[] = [];
  // Orthanc lists a series once per patient when objects of one study carry different PatientIDs;
  // each SOP instance is read once.
  const seen = new Set<string>();
  for (const seriesUid of new Set(series.map((s) => String(s.SeriesInstanceUID)))) {
    for (const instance of await client.searchInstances(studyUid, seriesUid)) {
      const sopClass = String(instance.SOPClassUID ?? '');
      const sopUid = String(instance.SOPInstanceUID);
      if (!isSrSopClass(sopClass) || sopClass === SOP_CLASS.BASIC_TEXT_SR || seen.has(sopUid))
        continue;
      seen.add(sopUid);
      const dataset = readPart10(
        await client.instance(studyUid, seriesUid, sopUid),
        `SR ${sopUid}`,
      );
      if (isLandmarkSr(dataset)) out.push(readLandmarkSr(dataset));
    }
  }
  return out;
}
