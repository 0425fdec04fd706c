/**
 * Seeds a PACS with synthetic demo studies: `count2d` DX cephalograms and `count3d` CBCT volumes from
 * `core/synthetic`, alternating devices so labelled and unlabelled studies differ, the first `labelled`
 * of each kind with a manual landmark SR. Deterministic: same options, same UIDs and pixels.
 */
import * as synthetic from '../../core/synthetic/index.ts';
import type { SyntheticStudy } from '../../core/synthetic/types.ts';
import { syntheticStudyFiles } from '../../dicom/studyFiles.ts';

/** Options of {@link seedDemoStudies}. */
export interface SeedOptions {
  count2d: number;
  count3d: number;
  labelled: number;
  seed: number;
  store: (files: ArrayBuffer[], studyUid: string) => Promise<void>;
}

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
  const plan: ['2d' | '3d', number][] = [
    ['2d', options.count2d],
    ['3d', options.count3d],
  ];
  for (const [kind, count] of plan) {
    const generate = GENERATORS[kind];
    const devices = Object.keys(
      kind === '2d' ? synthetic.CEPHALOGRAM_DEVICES : synthetic.CBCT_DEVICES,
    );
    for (let i = 0; i < count; i++) {
      const seed = options.seed + i;
      const labelled = i < options.labelled;
      const key = `${kind}-${seed}`;
      try {
        // Labelled studies come from the first device, unlabelled ones cycle through the others.
        const device =
          labelled || devices.length === 1 ? devices[0] : devices[1 + (i % (devices.length - 1))];
        const study = syntheticStudyFiles(generate({ seed, device }), labelled, i + 1);
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
  return results;
}
