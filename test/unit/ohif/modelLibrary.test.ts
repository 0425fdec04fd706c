/**
 * The model library's pure rules (issue 14 item 5): one IndexedDB key per template, which template a
 * model is filed under (named, else by its landmark names and dimension), the Model section's rows
 * (stored and built-in, per template, in template order), the built-in list of app-config, whether a
 * stored network can start a training run; and the server side: the shipped cephalogram folder served
 * as a bundle the viewer decodes (with its refiner), listed in app-config.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { renderAppConfig } from '../../../scripts/appConfig.ts';
import {
  builtinBundles,
  builtinModelConfig,
  SHIPPED_MODELS,
} from '../../../scripts/builtinModels.ts';
import {
  METADATA_FORMAT,
  type LandmarkModelMetadata,
} from '../../../extension/src/core/models/landmarkModelMetadata.ts';
import type { ResolvedModelConfig } from '../../../extension/src/core/models/types.ts';
import {
  decodeModelBundle,
  refinerSummary,
  type ModelInfo,
} from '../../../extension/src/ohif/services/modelBundle.ts';
import { refinerText } from '../../../extension/src/ohif/panels/ModelSection.tsx';
import {
  configuredBuiltinModels,
  exportFileName,
  LEGACY_MODEL_URL,
  libraryRows,
  modelUrlFor,
  noModelError,
  templateIdOfModel,
  templateIdOfUrl,
  trainingStart,
} from '../../../extension/src/ohif/services/modelLibrary.ts';
import {
  BUILTIN_TEMPLATES,
  CBCT,
  CEPHALOGRAM,
  HAND,
} from '../../../extension/src/ohif/templates.ts';

const NETWORK_2D: ResolvedModelConfig = {
  architecture: 'unet2d',
  inputShape: [128, 96],
  landmarkCount: 19,
  depth: 4,
  baseFilters: 8,
  seed: 1,
  outputBias: -4,
};

function model(
  names: readonly string[],
  patch: Partial<ModelInfo> = {},
  network: Partial<ResolvedModelConfig> = {},
  best?: number,
): ModelInfo {
  const metadata: LandmarkModelMetadata = {
    format: METADATA_FORMAT,
    version: 1,
    landmarkNames: [...names],
    network: { ...NETWORK_2D, landmarkCount: names.length, ...network },
    method: 'full',
    seed: 0,
    training: {
      labelled: 6,
      unlabelled: 4,
      validation: 6,
      backend: 'wasm',
      seconds: 30,
      history: [],
      ...(best !== undefined
        ? { best: { stage: 'finetune', epoch: 2, validationMreMm: best } }
        : {}),
    },
  };
  return {
    id: '0123456789abcdef',
    trainedAt: '2026-12-07T22:41:05.000Z',
    source: { kind: 'trained' },
    metadata,
    ...patch,
  };
}

const VOLUME: Partial<ResolvedModelConfig> = {
  architecture: 'unet3d',
  inputShape: [16, 16, 16],
  depth: 3,
  baseFilters: 4,
};

describe('model library keys and filing', () => {
  it('keeps each template under its own IndexedDB key, apart from the legacy one', () => {
    expect(modelUrlFor('cbct')).toBe('indexeddb://ohif-landmarks-model/cbct');
    expect(templateIdOfUrl(modelUrlFor('my-hand'))).toBe('my-hand');
    expect(templateIdOfUrl(LEGACY_MODEL_URL)).toBeUndefined();
    expect(templateIdOfUrl('indexeddb://ohif-landmarks-training')).toBeUndefined();
    expect(templateIdOfUrl(`${LEGACY_MODEL_URL}/a/b`)).toBeUndefined();
  });

  it('files a model under the template it names, else the one its names and dimension fit', () => {
    const t = BUILTIN_TEMPLATES;
    expect(templateIdOfModel(t, model(CEPHALOGRAM.landmarks))).toBe('cephalogram');
    expect(templateIdOfModel(t, model(HAND.landmarks))).toBe('hand');
    expect(templateIdOfModel(t, model(CBCT.landmarks, {}, VOLUME))).toBe('cbct');
    // A 2D network with the CBCT names is not a CBCT model.
    expect(templateIdOfModel(t, model(CBCT.landmarks))).toBe('untemplated-2d');
    expect(templateIdOfModel(t, model(['P', 'Q', 'R'], {}, VOLUME))).toBe('untemplated-3d');
    expect(templateIdOfModel(t, model(['P', 'Q', 'R'], { templateId: 'mine' }))).toBe('mine');
  });

  it('names the template, its id and what to do when it has no model', () => {
    expect(noModelError('cbct', CBCT.label).message).toBe(
      `no model for the template "${CBCT.label}" (cbct): train one, or import a model file for it in the Model section`,
    );
  });

  it('names an export after its template, date and id', () => {
    expect(exportFileName(model(CBCT.landmarks, {}, VOLUME), 'cbct')).toBe(
      'landmarks-model-cbct-2026-12-07-01234567.json',
    );
  });
});

describe('model library rows', () => {
  const builtin = { templateId: 'cephalogram', url: '/models/isbi.json', label: 'ISBI 2015' };

  it('lists a 2D and a 3D model side by side, in template order, with source, date, MRE and backend', () => {
    const volume = model(
      CBCT.landmarks,
      { templateId: 'cbct', id: 'ffff0000ffff0000' },
      VOLUME,
      2.5,
    );
    const ceph = model(CEPHALOGRAM.landmarks, {
      templateId: 'cephalogram',
      source: { kind: 'file', name: 'ceph.json' },
    });
    const rows = libraryRows(BUILTIN_TEMPLATES, [volume, ceph]);
    expect(rows.map((r) => [r.templateId, r.dimension, r.model?.id])).toEqual([
      ['cephalogram', 2, '0123456789abcdef'],
      ['cbct', 3, 'ffff0000ffff0000'],
    ]);
    expect(rows[0]).toMatchObject({
      templateLabel: CEPHALOGRAM.label,
      source: 'file ceph.json · 6 labelled + 4 unlabelled studies',
      trained: '2026-12-07 22:41 UTC',
      backend: 'wasm',
    });
    expect(rows[0]!.validationMreMm).toBeUndefined();
    expect(rows[1]).toMatchObject({ source: 'trained here · 6 labelled + 4 unlabelled studies' });
    expect(rows[1]!.validationMreMm).toBe(2.5);
  });

  it('shows a built-in model not loaded yet, and keeps it on the row of a stored model', () => {
    const [only] = libraryRows(BUILTIN_TEMPLATES, [], [builtin]);
    expect(only).toMatchObject({
      templateId: 'cephalogram',
      dimension: 2,
      source: 'built-in ISBI 2015 (loaded when first used)',
      trained: '–',
      backend: '–',
    });
    expect(only!.model).toBeUndefined();
    const stored = model(CEPHALOGRAM.landmarks, { source: { kind: 'builtin', name: 'ISBI 2015' } });
    const rows = libraryRows(BUILTIN_TEMPLATES, [stored], [builtin]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.model).toBe(stored);
    expect(rows[0]!.builtin).toEqual(builtin);
    expect(rows[0]!.source).toBe('built-in ISBI 2015 · 6 labelled + 4 unlabelled studies');
  });

  it('reads built-in models from app-config, leaving out malformed entries', () => {
    expect(configuredBuiltinModels(undefined)).toEqual([]);
    expect(configuredBuiltinModels({ landmarks: { builtinModels: 'x' } })).toEqual([]);
    expect(
      configuredBuiltinModels({
        landmarks: { builtinModels: [{ templateId: 'hand' }, { templateId: 'c', url: '/m.json' }] },
      }),
    ).toEqual([{ templateId: 'c', url: '/m.json', label: '/m.json' }]);
  });
});

describe('training start', () => {
  const names = CEPHALOGRAM.landmarks;
  const shipped = model(names, { source: { kind: 'builtin', name: 'ISBI 2015' } });

  it('fine-tunes a stored model whose network and landmarks match the preset', () => {
    const start = trainingStart(shipped, NETWORK_2D, names, 'cephalogram');
    expect(start.from).toBe(shipped);
    expect(start.note).toBe(
      'fine-tuning the cephalogram model 01234567 (built-in ISBI 2015 · 6 labelled + 4 unlabelled studies)',
    );
  });

  it('trains from scratch, saying why, when there is no model or it does not fit', () => {
    expect(trainingStart(undefined, NETWORK_2D, names, 'hand')).toEqual({
      note: 'from scratch: no hand model stored yet',
    });
    const tiny = { ...NETWORK_2D, inputShape: [64, 48], baseFilters: 4, depth: 3 };
    const other = trainingStart(shipped, tiny, names, 'cephalogram');
    expect(other.from).toBeUndefined();
    expect(other.note).toMatch(
      /^from scratch: the cephalogram model 01234567 .* has inputShape 128×96, this preset 64×48$/,
    );
    const renamed = trainingStart(shipped, NETWORK_2D, [...names].reverse(), 'cephalogram');
    expect(renamed.from).toBeUndefined();
    expect(renamed.note).toContain('has other landmark names');
  });
});

describe('built-in models on the server', () => {
  it('lists the shipped cephalogram model in app-config', () => {
    const config = builtinModelConfig(SHIPPED_MODELS);
    expect(config).toEqual([
      {
        templateId: 'cephalogram',
        url: '/models/isbi2015-cephalogram.json',
        label: 'ISBI 2015 cephalogram (research use)',
      },
    ]);
    const window: { location: { origin: string }; config?: unknown } = {
      location: { origin: 'http://h:1' },
    };
    runInNewContext(renderAppConfig({ builtinModels: config }), { window });
    expect(configuredBuiltinModels(window.config)).toEqual(config);
    expect(builtinModelConfig([{ ...SHIPPED_MODELS[0]!, dir: '/nonexistent' }])).toEqual([]);
  });

  it('serves the shipped folder as a bundle the viewer decodes and files as a cephalogram model', async () => {
    const bundleFor = builtinBundles(SHIPPED_MODELS);
    expect(bundleFor('/models/other.json')).toBeUndefined();
    const text = await bundleFor('/models/isbi2015-cephalogram.json')!;
    const { info, artifacts } = await decodeModelBundle(text, 'built-in', {
      kind: 'builtin',
      name: 'x',
    });
    expect(info.metadata.landmarkNames).toEqual(CEPHALOGRAM.landmarks);
    // With the folder's coarse-to-fine refiner (bundle version 2), shown in the Model section.
    expect(JSON.parse(text).version).toBe(2);
    expect(info.refiner?.config.landmarkCount).toBe(19);
    expect(artifacts.refiner?.weightData.byteLength).toBeGreaterThan(0);
    expect(refinerSummary(info.refiner!)).toEqual({ refined: 11, total: 19 });
    expect(refinerText(info)).toBe('refiner: 11/19 landmarks (2 passes, 0.5 mm/px patches)');
    expect(refinerText({})).toMatch(/^none/);
    expect(templateIdOfModel(BUILTIN_TEMPLATES, info)).toBe('cephalogram');
    // Packed once: the second request gets the same text.
    expect(await bundleFor('/models/isbi2015-cephalogram.json')).toBe(text);
  });
});
