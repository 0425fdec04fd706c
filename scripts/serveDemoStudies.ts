/**
 * Small phantom studies (a 2D DX and a CT volume) for the browser tests and for `npm start` when no
 * other demo data is given, written with the DICOM adapter's image writers and stored with STOW-RS.
 * Pixel content is a simple drawn phantom (no real patient data).
 */
import { ctSliceUid, writeCtSeries, writeDxImage } from '../extension/src/dicom/imageWriter.ts';
import { uidFromSeed } from '../extension/src/dicom/uids.ts';

/** UIDs of a stored test study. */
export interface TestStudy {
  studyUid: string;
  seriesUid: string;
  patientId: string;
  patientName: string;
  modality: 'DX' | 'CT';
  /** SOP Instance UIDs of the images (one for DX, one per slice for CT). */
  sopUids: string[];
}

/** A 2D DX "cephalogram-like" phantom: bright ellipse skull and a few dots, 0.5 mm pixels. */
export function dxStudy(
  seed: string,
  width = 320,
  height = 256,
): { files: ArrayBuffer[]; study: TestStudy } {
  const studyUid = uidFromSeed(`${seed}/study`);
  const seriesUid = uidFromSeed(`${seed}/series`);
  const pixels = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = (x - width / 2) / (width * 0.35);
      const dy = (y - height / 2) / (height * 0.4);
      const r = Math.hypot(dx, dy);
      pixels[y * width + x] = r < 1 ? Math.round(2000 + 1500 * (1 - r)) : 300 + ((x + y) % 64);
    }
  }
  const patientName = `E2E^${seed}`;
  const file = writeDxImage(
    {
      patientId: seed,
      patientName,
      studyUid,
      studyDate: '20260101',
      studyDescription: `DX ${seed}`,
    },
    { seriesUid, seriesNumber: 1, seriesDescription: 'Lateral ceph' },
    {
      width,
      height,
      pixels,
      bitsStored: 12,
      spacingMm: [0.5, 0.5],
      sopUid: uidFromSeed(`${seed}/sop`),
    },
  );
  return {
    files: [file],
    study: {
      studyUid,
      seriesUid,
      patientId: seed,
      patientName,
      modality: 'DX',
      sopUids: [uidFromSeed(`${seed}/sop`)],
    },
  };
}

/** A small CT volume (sphere in a box), 1 mm isotropic, for the MPR views. */
export function ctStudy(
  seed: string,
  size = 48,
  depth = 40,
): { files: ArrayBuffer[]; study: TestStudy } {
  const studyUid = uidFromSeed(`${seed}/study`);
  const seriesUid = uidFromSeed(`${seed}/series`);
  const voxels = new Float32Array(size * size * depth);
  for (let z = 0; z < depth; z++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const r = Math.hypot(x - size / 2, y - size / 2, (z - depth / 2) * 1.2);
        voxels[(z * size + y) * size + x] = r < size * 0.35 ? 800 - 10 * r : -900;
      }
    }
  }
  const patientName = `E2E^${seed}`;
  const files = writeCtSeries(
    {
      patientId: seed,
      patientName,
      studyUid,
      studyDate: '20260102',
      studyDescription: `CBCT ${seed}`,
    },
    { seriesUid, seriesNumber: 1, seriesDescription: 'CBCT volume' },
    {
      width: size,
      height: size,
      depth,
      voxelsHu: voxels,
      spacingMm: [1, 1, 1],
      frameOfReferenceUid: uidFromSeed(`${seed}/for`),
      uidSeed: seed,
    },
  );
  const sopUids = Array.from({ length: depth }, (_, k) => ctSliceUid(seed, k));
  return {
    files,
    study: { studyUid, seriesUid, patientId: seed, patientName, modality: 'CT', sopUids },
  };
}

/** Stores Part 10 files with one STOW-RS request; throws with the server's answer on failure. */
export async function stow(
  dicomWebUrl: string,
  files: ArrayBuffer[],
  headers: Record<string, string> = {},
): Promise<void> {
  const boundary = `e2e-${Date.now().toString(36)}`;
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const f of files) {
    parts.push(enc.encode(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`));
    parts.push(new Uint8Array(f));
    parts.push(enc.encode('\r\n'));
  }
  parts.push(enc.encode(`--${boundary}--\r\n`));
  const res = await fetch(`${dicomWebUrl}/studies`, {
    method: 'POST',
    headers: {
      ...headers,
      'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      Accept: 'application/dicom+json',
    },
    body: Buffer.concat(parts),
  });
  if (!res.ok) throw new Error(`STOW to ${dicomWebUrl} failed: ${res.status} ${await res.text()}`);
}
