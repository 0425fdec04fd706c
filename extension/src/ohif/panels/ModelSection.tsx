import { useEffect, useRef, useState } from 'react';
import type { ModelInfo } from '../services/modelBundle.ts';
import type { LibraryRow } from '../services/modelLibrary.ts';
import type { HeatmapState } from '../services/heatmapState.ts';
import type { ModelPanelState } from '../services/modelController.ts';
import type { TrainingController, TrainingState } from '../trainingController.ts';
import type { OhifContext } from '../types.ts';

const button =
  'rounded border border-primary-main px-2 py-1 text-sm text-primary-light hover:bg-primary-dark disabled:opacity-40';

function useStore<S>(store: { state: S; subscribe(l: () => void): () => void }): S {
  const [state, setState] = useState(store.state);
  useEffect(() => {
    setState(store.state);
    return store.subscribe(() => setState(store.state));
  }, [store]);
  return state;
}

/** Mean of the finite confidences, two decimals; a dash when there is none (no NaN on screen). */
function meanConfidence(values: number[]): string {
  const finite = values.filter(Number.isFinite);
  return finite.length ? (finite.reduce((a, b) => a + b, 0) / finite.length).toFixed(2) : '–';
}

/** A number with `digits` decimals, or a dash when it is not finite (no NaN or Infinity on screen). */
const fixedOrDash = (v: number | undefined, digits: number) =>
  v !== undefined && Number.isFinite(v) ? v.toFixed(digits) : '–';

/** Per landmark of the heatmap on screen: confidence (mass within 2 mm) and RMS spread, mm. */
function ConfidenceTable({ heatmap, names }: { heatmap: HeatmapState; names: string[] }) {
  return (
    <table data-testid="landmarks-heatmap-confidence" className="w-full text-xs">
      <thead>
        <tr className="text-muted-foreground">
          <th className="text-left">landmark</th>
          <th className="text-right">confidence</th>
          <th className="text-right">spread mm</th>
        </tr>
      </thead>
      <tbody>
        {heatmap.confidence.map((c, i) => (
          <tr key={i} data-testid="landmarks-heatmap-confidence-row">
            <td>{names[i] ?? `#${i + 1}`}</td>
            <td className="text-right">{fixedOrDash(c, 2)}</td>
            <td className="text-right">{fixedOrDash(heatmap.spreadMm[i], 1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

const small =
  'rounded border border-primary-main px-1 text-xs text-primary-light hover:bg-primary-dark disabled:opacity-40';

/** One model of the library: template, source and studies, when, validation MRE, backend; export, delete. */
function LibraryItem({
  row,
  current,
  busy,
  onExport,
  onDelete,
}: {
  row: LibraryRow;
  current: boolean;
  busy: boolean;
  onExport: () => void;
  onDelete: () => void;
}) {
  const mre =
    row.validationMreMm !== undefined ? `MRE ${row.validationMreMm.toFixed(2)} mm` : 'MRE –';
  return (
    <li
      data-testid="landmarks-library-row"
      data-template={row.templateId}
      data-model-id={row.model?.id ?? ''}
      data-source={row.model?.source.kind ?? (row.builtin ? 'builtin' : '')}
      data-current={current ? 'true' : 'false'}
      className={`rounded border p-1 ${current ? 'border-primary-light' : 'border-secondary-light'}`}
    >
      <div>
        <span className="font-semibold">{row.templateLabel}</span>{' '}
        <span className="text-muted-foreground">· {row.dimension}D</span>
        {current && <span className="text-primary-light"> · in{'\u00a0'}use</span>}
      </div>
      <div className="text-xs" data-field="source">
        {row.source}
      </div>
      <div className="text-xs text-muted-foreground" data-field="trained">
        {row.trained} · <span data-field="mre">{mre}</span> · {row.backend}
      </div>
      {row.model && (
        <div className="mt-1 flex flex-wrap gap-1">
          <button
            type="button"
            className={small}
            data-testid="landmarks-library-export"
            disabled={busy}
            onClick={onExport}
          >
            Export
          </button>
          <button
            type="button"
            className={small}
            data-testid="landmarks-library-delete"
            disabled={busy}
            onClick={onDelete}
          >
            {row.builtin ? 'Delete (back to built-in)' : 'Delete'}
          </button>
        </div>
      )}
    </li>
  );
}

/** Every template's model in this browser, and the built-in ones not loaded yet. */
function Library({ training, busy }: { training: TrainingController; busy: boolean }) {
  const models = training.models;
  const rows = models.rows();
  const current = models.choice().templateId;
  return (
    <div data-testid="landmarks-library" data-count={rows.length}>
      <h4 className="text-muted-foreground">Library ({rows.length})</h4>
      {rows.length === 0 ? (
        <p className="text-xs text-muted-foreground">No model for any template yet.</p>
      ) : (
        <ul className="space-y-1">
          {rows.map((row) => (
            <LibraryItem
              key={row.templateId}
              row={row}
              current={row.templateId === current}
              busy={busy}
              onExport={() => void models.exportModel(row.templateId)}
              onDelete={() => void models.deleteModel(row.templateId)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The model's coarse-to-fine refiner: "refiner: 11/19 landmarks (2 passes, 0.5 mm/px patches)" (the
 * landmarks its gate refines), or none.
 */
export function refinerText(model: Pick<ModelInfo, 'refiner'>): string {
  const c = model.refiner?.config;
  if (!c) return 'none (the network’s reviewed points)';
  const refined = c.useRefined ? c.useRefined.filter(Boolean).length : c.landmarkCount;
  return `refiner: ${refined}/${c.landmarkCount} landmarks (${c.passes} passes, ${c.mmPerPixel} mm/px patches)`;
}

/** The loaded model's metadata and training summary (all fields from the model's own metadata). */
function Summary({ model }: { model: ModelInfo }) {
  const m = model.metadata;
  const t = m.training;
  const last = t.history[t.history.length - 1];
  const source =
    model.source.kind === 'trained'
      ? 'trained here'
      : `${model.source.kind === 'builtin' ? 'built-in' : model.source.kind} ${model.source.name ?? ''}`;
  const rows: Array<[string, string]> = [
    ['Stored', `IndexedDB (${source})`],
    ['Id', model.id],
    ['Landmarks', `${m.landmarkNames.length}: ${m.landmarkNames.join(', ')}`],
    ['Input', `${m.network.inputShape.join('×')} px`],
    ['Method', `${m.method}${m.preset ? ` · preset ${m.preset}` : ''}`],
    ['Backend', t.backend],
    ['Trained', model.trainedAt ? model.trainedAt.replace('T', ' ').slice(0, 19) : 'unknown'],
    ['Epochs', String(t.history.length)],
    ['Final loss', last && Number.isFinite(last.loss) ? last.loss.toFixed(4) : '–'],
    [
      'Validation MRE',
      t.best
        ? `${t.best.validationMreMm.toFixed(2)} mm (best, ${t.best.stage} ${t.best.epoch + 1})`
        : '–',
    ],
    ['Studies', `${t.labelled} labelled, ${t.unlabelled} unlabelled`],
    ['Shape model', model.shapeModel ? 'included' : 'none (fitted from the PACS annotations)'],
    ['Refiner', refinerText(model)],
  ];
  return (
    <dl
      data-testid="landmarks-model-summary"
      data-model-id={model.id}
      className="grid gap-x-3"
      style={{ gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 2fr)' }}
    >
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-muted-foreground">{k}</dt>
          <dd className="break-words" data-field={k}>
            {v}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Model: which model is stored (trained here, imported from a file or a URL), its training summary;
 * export as one bundle file; import from a file or an allowed URL; pseudo-label the unannotated studies
 * with it (no training); toggle the heatmap overlay of the displayed image, or of the displayed volume
 * in all MPR views, with each landmark's confidence.
 */
export default function ModelSection({
  training,
  context,
}: {
  training: TrainingController;
  context: OhifContext;
}) {
  const t: TrainingState = useStore(training);
  const s: ModelPanelState = useStore(training.models);
  const [url, setUrl] = useState('');
  const [landmark, setLandmark] = useState('');
  const file = useRef<HTMLInputElement>(null);
  useEffect(() => {
    training.refreshStatus().catch(() => undefined);
  }, [training]);
  const models = training.models;
  const busy = training.busy || s.busy !== undefined;
  const names = t.model?.metadata.landmarkNames ?? [];
  const choice = models.choice();
  const builtin = models.builtins().find((b) => b.templateId === choice.templateId);
  // A built-in model counts: it is loaded when first used.
  const usable = !!t.model || !!builtin;
  // The same command as the Shift+H hotkey (errors land in the section's state).
  const toggleHeatmap = () =>
    context.commandsManager.runCommand(
      'landmarksToggleHeatmap',
      landmark === '' ? {} : { landmark: Number(landmark) },
    );
  return (
    <section className="space-y-1 p-2 text-sm" data-testid="landmarks-model-section">
      <h3 className="font-semibold">Model</h3>
      <p data-testid="landmarks-model-template" data-template={choice.templateId}>
        <span className="text-muted-foreground">For </span>
        {choice.templateLabel}
      </p>
      <Library training={training} busy={busy} />
      {t.model ? (
        // Folded: the library above says what most need; the details are one click away.
        <details data-testid="landmarks-model-details">
          <summary className="cursor-pointer text-muted-foreground">Details of this model</summary>
          <Summary model={t.model} />
        </details>
      ) : (
        <p data-testid="landmarks-model-none">
          No model for this template yet
          {builtin ? ` (the built-in ${builtin.label} is loaded when first used)` : ''}.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className={button}
          data-testid="landmarks-model-export"
          disabled={busy || !t.model}
          onClick={() => models.exportModel()}
        >
          Export
        </button>
        <button
          type="button"
          className={button}
          data-testid="landmarks-model-import-file"
          disabled={busy}
          onClick={() => file.current?.click()}
        >
          Import file…
        </button>
        <input
          ref={file}
          type="file"
          accept=".json,application/json"
          className="hidden"
          data-testid="landmarks-model-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void models.importFile(f);
          }}
        />
        <button
          type="button"
          className={button}
          data-testid="landmarks-pseudo-label"
          disabled={busy || !usable}
          onClick={() => training.pseudoLabel(training.backends).catch(() => undefined)}
        >
          Pseudo-label
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <input
          data-testid="landmarks-model-url"
          className="min-w-0 flex-1 bg-black px-1"
          style={{ maxWidth: '100%' }}
          placeholder="/models/landmarks-model.json"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <button
          type="button"
          className={button}
          data-testid="landmarks-model-import-url"
          disabled={busy || !url.trim()}
          onClick={() => models.importUrl(url)}
        >
          Import URL
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className={button}
          data-testid="landmarks-heatmap"
          data-on={s.heatmap ? 'true' : 'false'}
          aria-pressed={!!s.heatmap}
          disabled={training.busy || (s.busy !== undefined && s.busy !== 'heatmap') || !usable}
          onClick={() => void toggleHeatmap()}
        >
          Heatmap
        </button>
        <select
          data-testid="landmarks-heatmap-landmark"
          className="min-w-0 flex-1 bg-black"
          style={{ maxWidth: '100%' }}
          value={landmark}
          onChange={(e) => setLandmark(e.target.value)}
        >
          <option value="">all landmarks</option>
          {names.map((n, i) => (
            <option key={n} value={i}>
              {n}
            </option>
          ))}
        </select>
      </div>
      {s.busy && (
        <p data-testid="landmarks-model-busy">
          {s.busy === 'builtin' ? 'loading the built-in model' : s.busy}…
        </p>
      )}
      {s.exported && (
        <p
          data-testid="landmarks-model-exported"
          data-bytes={s.exported.bytes}
          data-ms={s.exported.ms.toFixed(0)}
        >
          exported {s.exported.fileName} ({kb(s.exported.bytes)}, {s.exported.ms.toFixed(0)} ms)
        </p>
      )}
      {s.imported && (
        <p
          data-testid="landmarks-model-imported"
          data-bytes={s.imported.bytes}
          data-ms={s.imported.ms.toFixed(0)}
        >
          imported {kb(s.imported.bytes)} in {s.imported.ms.toFixed(0)} ms as the{' '}
          {s.imported.templateLabel} model
          {s.imported.replaced ? `, replacing ${s.imported.replaced}` : ''}
        </p>
      )}
      {s.deleted && <p data-testid="landmarks-model-deleted">deleted the {s.deleted} model</p>}
      {s.heatmap && (
        <>
          <p
            data-testid="landmarks-heatmap-info"
            data-kind={s.heatmap.kind}
            data-ms={s.heatmap.ms.toFixed(0)}
            data-worker-ms={s.heatmap.workerMs.toFixed(0)}
            data-predict-ms={s.heatmap.predictMs?.toFixed(0)}
            data-views={s.heatmap.views}
          >
            {s.heatmap.kind === '3d' ? `volume heatmap (${s.heatmap.views} views)` : 'heatmap'}{' '}
            {s.heatmap.ms.toFixed(0)} ms · mean confidence {meanConfidence(s.heatmap.confidence)}
          </p>
          <ConfidenceTable heatmap={s.heatmap} names={names} />
        </>
      )}
      {s.error && (
        <p role="alert" className="break-words text-red-500" data-testid="landmarks-model-error">
          {s.error}
        </p>
      )}
    </section>
  );
}
