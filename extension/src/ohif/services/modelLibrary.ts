/**
 * The model library: one landmark model per anatomy template, each stored under its own tfjs IndexedDB
 * key (`indexeddb://ohif-landmarks-model/<templateId>`), plus the built-in models the app configuration
 * lists (`window.config.landmarks.builtinModels`, served by `npm start` from models/). This file holds
 * the pure part: keys, which template a model belongs to, the Model section's rows, the built-in list,
 * and whether a stored network can be the starting point of a training run.
 *
 * Pure: no tfjs at run time, no DOM, no network.
 */
import type { ResolvedModelConfig } from '../../core/models/types.ts';
import type { LandmarkTemplate } from '../templates.ts';
import type { ModelInfo } from './modelBundle.ts';
import { templateOfSet, type TemplateClue } from './templateOfSet.ts';

/** The key the browser kept its one model under before the library (migrated once). */
export const LEGACY_MODEL_URL = 'indexeddb://ohif-landmarks-model';

/** What the worker needs of a template to file a model under it (plain data: it is posted). */
export type TemplateRef = LandmarkTemplate;

/** A built-in model from the app configuration: a bundle on the viewer's origin for one template. */
export interface BuiltinModel {
  templateId: string;
  /** Bundle URL (same-origin path, or an origin of landmarks.modelOrigins). */
  url: string;
  /** Shown in the Model section. */
  label: string;
}

/** The IndexedDB key of a template's model. */
export function modelUrlFor(templateId: string): string {
  return `${LEGACY_MODEL_URL}/${templateId}`;
}

/** The template id of a library key; undefined for the legacy key and keys of other stores. */
export function templateIdOfUrl(url: string): string | undefined {
  const prefix = `${LEGACY_MODEL_URL}/`;
  if (!url.startsWith(prefix)) return undefined;
  const id = url.slice(prefix.length);
  return id.length > 0 && !id.includes('/') ? id : undefined;
}

/** 3 for a volume network (input [D, H, W]), else 2. */
export const modelDimension = (info: Pick<ModelInfo, 'metadata'>): 2 | 3 =>
  info.metadata?.network?.inputShape?.length === 3 ? 3 : 2;

/** The id a model without a known template is filed under (one per dimension). */
export const untemplatedId = (dimension: 2 | 3): string => `untemplated-${dimension}d`;

/**
 * The template a model belongs to: the one it names (`templateId`, set when it was trained or
 * imported), else the first template of its dimension that has every landmark name of the network
 * (how models from before the library, and CLI models packed as bundles, are filed), else
 * `untemplated-2d` / `untemplated-3d`.
 */
export function templateIdOfModel(
  templates: readonly TemplateRef[],
  info: Pick<ModelInfo, 'metadata' | 'templateId'>,
): string {
  if (info.templateId !== undefined) return info.templateId;
  const dimension = modelDimension(info);
  const clue = { dimension, landmarks: info.metadata.landmarkNames.map((name) => ({ name })) };
  const template = templateOfSet(templates, clue as TemplateClue);
  return template?.id ?? untemplatedId(dimension);
}

/** A template's label, or its id when the viewer does not know it. */
export function templateLabel(templates: readonly TemplateRef[], templateId: string): string {
  return templates.find((t) => t.id === templateId)?.label ?? templateId;
}

/** The error of a job that needs a model the template does not have. */
export function noModelError(templateId: string, label = templateId): Error {
  return new Error(
    `no model for the template "${label}" (${templateId}): ` +
      'train one, or import a model file for it in the Model section',
  );
}

/** Which model a worker job uses: the one of this template (the label only names it in errors). */
export interface ModelChoice {
  templateId: string;
  templateLabel: string;
}

/** The built-in models of the app configuration (`landmarks.builtinModels`); malformed entries are left out. */
export function configuredBuiltinModels(config: unknown): BuiltinModel[] {
  const list = (config as { landmarks?: { builtinModels?: unknown } } | undefined)?.landmarks
    ?.builtinModels;
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw: unknown) => {
    const b = raw as Partial<BuiltinModel> | undefined;
    if (typeof b?.templateId !== 'string' || typeof b.url !== 'string') return [];
    return [{ templateId: b.templateId, url: b.url, label: b.label ?? b.url }];
  });
}

/** One row of the Model section's library: a template with its stored model and/or its built-in one. */
export interface LibraryRow {
  templateId: string;
  templateLabel: string;
  dimension: 2 | 3;
  /** The model stored in this browser for the template. */
  model?: ModelInfo;
  /** The built-in model of the template (loaded into the browser the first time it is used). */
  builtin?: BuiltinModel;
  /** Where the model came from, and what it was trained on. */
  source: string;
  /** Date and time it was trained (UTC, to the minute), or '–'. */
  trained: string;
  /** Validation MRE in mm (best epoch), when the training measured it. */
  validationMreMm?: number;
  /** Backend it was trained on (from its metadata), or '–'. */
  backend: string;
}

/** "trained here", "file x.json", "URL …", "built-in …", with the number of studies trained on. */
export function describeSource(info: ModelInfo): string {
  const t = info.metadata.training;
  const studies = `${t.labelled} labelled + ${t.unlabelled} unlabelled studies`;
  const s = info.source;
  const from =
    s.kind === 'trained'
      ? 'trained here'
      : s.kind === 'builtin'
        ? `built-in ${s.name ?? ''}`.trim()
        : `${s.kind === 'url' ? 'URL' : 'file'} ${s.name ?? ''}`.trim();
  return `${from} · ${studies}`;
}

const minute = (iso: string) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '–');

/** A row for a stored model (its template known or not). */
function storedRow(templates: readonly TemplateRef[], model: ModelInfo): LibraryRow {
  const templateId = templateIdOfModel(templates, model);
  const best = model.metadata.training.best?.validationMreMm;
  return {
    templateId,
    templateLabel: templateLabel(templates, templateId),
    dimension: modelDimension(model),
    model,
    source: describeSource(model),
    trained: minute(model.trainedAt),
    ...(best !== undefined && Number.isFinite(best) ? { validationMreMm: best } : {}),
    backend: model.metadata.training.backend || '–',
  };
}

/**
 * The library as the Model section lists it: one row per template that has a stored model or a
 * built-in one, in the order of `templates` (unknown templates last, by id). A built-in model of a
 * template with a stored model is kept on the row (Delete returns the template to it).
 */
export function libraryRows(
  templates: readonly TemplateRef[],
  stored: readonly ModelInfo[],
  builtins: readonly BuiltinModel[] = [],
): LibraryRow[] {
  const rows = new Map<string, LibraryRow>();
  for (const model of stored)
    rows.set(templateIdOfModel(templates, model), storedRow(templates, model));
  for (const builtin of builtins) {
    const row = rows.get(builtin.templateId);
    if (row) {
      row.builtin = builtin;
      continue;
    }
    const template = templates.find((t) => t.id === builtin.templateId);
    rows.set(builtin.templateId, {
      templateId: builtin.templateId,
      templateLabel: templateLabel(templates, builtin.templateId),
      dimension: template?.dimension ?? 2,
      builtin,
      source: `built-in ${builtin.label} (loaded when first used)`,
      trained: '–',
      backend: '–',
    });
  }
  const order = (id: string) => {
    const i = templates.findIndex((t) => t.id === id);
    return i < 0 ? templates.length : i;
  };
  return [...rows.values()].sort(
    (a, b) => order(a.templateId) - order(b.templateId) || a.templateId.localeCompare(b.templateId),
  );
}

/** What a training run starts from: the stored weights of its template's model, or nothing (and why). */
export type TrainingStart = { from: ModelInfo; note: string } | { from?: undefined; note: string };

/** The network fields that decide whether weights fit: architecture, input, depth, filters, heatmaps. */
const FITTING: ReadonlyArray<keyof ResolvedModelConfig> = [
  'architecture',
  'inputShape',
  'depth',
  'baseFilters',
  'landmarkCount',
];

const shown = (v: unknown) => (Array.isArray(v) ? v.join('×') : String(v));

/**
 * Whether a training run with network `config` and landmark `names` can start from `model`'s weights:
 * the same architecture, input size, depth, filters and landmarks (in order). The note says which model
 * it fine-tunes, or why it trains from scratch.
 */
export function trainingStart(
  model: ModelInfo | undefined,
  config: Pick<ResolvedModelConfig, (typeof FITTING)[number]>,
  names: readonly string[],
  templateName: string,
): TrainingStart {
  if (!model) return { note: `from scratch: no ${templateName} model stored yet` };
  const what = `the ${templateName} model ${model.id.slice(0, 8)} (${describeSource(model)})`;
  const network = model.metadata.network;
  for (const key of FITTING) {
    if (shown(network[key]) !== shown(config[key])) {
      return {
        note: `from scratch: ${what} has ${key} ${shown(network[key])}, this preset ${shown(config[key])}`,
      };
    }
  }
  const same = model.metadata.landmarkNames.every((n, i) => n === names[i]);
  if (!same) return { note: `from scratch: ${what} has other landmark names` };
  return { from: model, note: `fine-tuning ${what}` };
}

/** File name of a model's export: landmarks-model-<template>-<date>-<id>.json. */
export function exportFileName(info: ModelInfo, templateId: string): string {
  const date = (info.trainedAt || new Date().toISOString()).slice(0, 10);
  return `landmarks-model-${templateId}-${date}-${info.id.slice(0, 8)}.json`;
}
