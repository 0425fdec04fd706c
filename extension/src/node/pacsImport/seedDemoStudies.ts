/**
 * Seeds a PACS with synthetic demo studies: `count2d` DX cephalograms and `count3d` CBCT volumes from
 * `core/synthetic`, alternating devices so labelled and unlabelled studies differ, the first `labelled`
 * cephalograms and the first `labelled3d` volumes with a manual landmark SR. Each study is named as in
 * `demoNaming.ts` (`DEMO^CEPH^01`, "Lateral cephalogram", a unique accession number). Deterministic:
 * same options, same UIDs and pixels.
 */
import * as synthetic from '../../core/synthetic/index.ts';
import type { SyntheticStudy } from '../../core/synthetic/types.ts';
import { syntheticStudyFiles } from '../../dicom/studyFiles.ts';
import { demoStudyNaming } from './demoNaming.ts';

/** Options of {@link seedDemoStudies}. */
export interface SeedOptions {
  count2d: number;
  count3d: number;
  /** Cephalograms with a manual SR (and volumes too, unless `labelled3d` is given). */
  labelled: number;
  /** Volumes with a manual SR (default `labelled`). */
  labelled3d?: number;
  /**
   * Clinical-size CBCT volumes (generateClinicalCbctVolume: 336 × 336 × 304 voxels of 0.5 mm, a
   * drawn head with teeth, airway and artefacts), unannotated, numbered after the small volumes
   * (seed + count3d + i); default 0.
   */
  clinical3d?: number;
  /** First generator seed; study i of a kind uses `seed + i` and is named after it (`DEMO^CBCT^03`). */
  seed: number;
  store: (files: ArrayBuffer[], studyUid: string) => Promise<void>;
}

/**
 * What `npm start` seeds into an empty PACS: 12 cephalograms (6 with a manual SR), 5 small CBCT
 * volumes (3 with a manual 3D SR, the least 3D training in the panel accepts, and 2 to pseudo-label)
 * and 1 clinical-size CBCT to pseudo-label (`DEMO^CBCT^06`).
 */
export const NPM_START_SEED = {
  count2d: 12,
  labelled: 6,
  count3d: 5,
  labelled3d: 3,
  clinical3d: 1,
  seed: 1,
} as const satisfies Omit<SeedOptions, 'store'>;

/** One seeded study. */
export interface SeedResult {
  key: string;
  studyUid?: string;
  labelled: boolean;
  instances: number;
  error?: string;
}

type Generator = (options: { seed: number; device: string }) => SyntheticStudy;

const GENERATORS: Record<'2d' | '3d', Generator> = {
  '2d': synthetic.generateCephalogram,
  '3d': synthetic.generateCbctVolume,
};

/** Generates and stores the demo studies; a failing study is reported and the rest go on. */
export async function seedDemoStudies(options: SeedOptions): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  const plan: ['2d' | '3d', number, number][] = [
    ['2d', options.count2d, options.labelled],
    ['3d', options.count3d, options.labelled3d ?? options.labelled],
  ];
  for (const [kind, count, labelledCount] of plan) {
    const generate = GENERATORS[kind];
    const devices = Object.keys(
      kind === '2d' ? synthetic.CEPHALOGRAM_DEVICES : synthetic.CBCT_DEVICES,
    );
    for (let i = 0; i < count; i++) {
      const seed = options.seed + i;
      const labelled = i < labelledCount;
      const key = `${kind}-${seed}`;
      try {
        // Labelled studies come from the first device, unlabelled ones cycle through the others.
        const device =
          labelled || devices.length === 1 ? devices[0] : devices[1 + (i % (devices.length - 1))];
        const naming = demoStudyNaming(kind === '2d' ? 'ceph' : 'cbct', seed, device);
        const study = syntheticStudyFiles(generate({ seed, device }), labelled, i + 1, naming);
        await options.store(study.files, study.studyUid);
        results.push({
          key: study.key,
          studyUid: study.studyUid,
          labelled,
          instances: study.files.length,
        });
      } catch (error) {
        results.push({ key, labelled, instances: 0, error: (error as Error).message });
      }
    }
  }
  for (let i = 0; i < (options.clinical3d ?? 0); i++) {
    results.push(await seedClinicalCbct(options, options.seed + options.count3d + i));
  }
  return results;
}

/** One unannotated clinical-size CBCT from the second CBCT device (unlabelled studies' device). */
async function seedClinicalCbct(options: SeedOptions, seed: number): Promise<SeedResult> {
  const key = `3d-clinical-${seed}`;
  try {
    const device = Object.keys(synthetic.CBCT_DEVICES).at(-1)!;
    const naming = demoStudyNaming('cbct', seed, device);
    naming.seriesDescription = `CBCT axial 0.5 mm (synthetic ${device})`;
    const volume = synthetic.generateClinicalCbctVolume({ seed, device });
    const study = syntheticStudyFiles(volume, false, seed, naming);
    await options.store(study.files, study.studyUid);
    return { key: study.key, studyUid: study.studyUid, labelled: false, instances: study.files.length }; // prettier-ignore
  } catch (error) {
    return { key, labelled: false, instances: 0, error: (error as Error).message };
  }
}
