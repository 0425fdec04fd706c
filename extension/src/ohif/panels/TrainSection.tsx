import { useEffect, useState } from 'react';
import type { StudyKind, TrainingController, TrainingState } from '../trainingController.ts';

const button =
  'rounded border border-primary-main px-2 py-1 text-sm text-primary-light hover:bg-primary-dark disabled:opacity-40';

/** auto: 2D X-rays when at least 3 are annotated, else CT/CBCT volumes (trainingController.chooseKind). */
const KIND_CHOICES: Record<string, string> = { auto: 'auto', '2d': '2D X-ray', '3d': '3D volume' };

const BACKEND_CHOICES: Record<string, string[] | undefined> = {
  auto: undefined,
  webgpu: ['webgpu'],
  webgl: ['webgl'],
  wasm: ['wasm'],
};

function useTraining(training: TrainingController): TrainingState {
  const [state, setState] = useState(training.state);
  useEffect(() => training.subscribe(() => setState(training.state)), [training]);
  return state;
}

/** Loss curve as an SVG polyline (no chart library: a dozen lines). */
function Curve({ values, testId }: { values: number[]; testId: string }) {
  if (values.length < 2) return null;
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min || 1;
  const points = values
    .map((v, i) => `${(i / (values.length - 1)) * 200},${40 - ((v - min) / span) * 38 - 1}`)
    .join(' ');
  return (
    <svg data-testid={testId} viewBox="0 0 200 40" className="h-10 w-full bg-black">
      <polyline points={points} fill="none" stroke="rgb(90, 204, 230)" strokeWidth="1" />
    </svg>
  );
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;

const seconds = (ms?: number) => (ms === undefined ? '' : `${Math.round(ms / 1000)} s`);

/**
 * Train + pseudo-label: scans the PACS for annotated (landmark SR) and unannotated studies, trains in a
 * Web Worker (webgpu → webgl → wasm, with a note when it falls back), shows stage/epoch/ETA and the loss
 * and validation-MRE curves, stores the pseudo labels as SR, and ranks the studies to annotate next.
 */
export default function TrainSection({
  training,
  run,
}: {
  training: TrainingController;
  run: (name: string, options?: Record<string, unknown>) => Promise<unknown>;
}) {
  const state = useTraining(training);
  const [preset, setPreset] = useState('tiny');
  const [backend, setBackend] = useState('auto');
  const [kind, setKind] = useState(training.kind);
  const busy = training.busy;
  const saved = state.saved;
  const p = state.progress;
  return (
    <section className="space-y-1 p-2 text-sm" data-testid="landmarks-train-section">
      <h3 className="font-semibold">Train and pseudo-label</h3>
      <div className="flex flex-wrap items-center gap-2">
        <select
          data-testid="landmarks-preset"
          className="bg-black"
          value={preset}
          onChange={(e) => setPreset(e.target.value)}
        >
          <option value="tiny">tiny</option>
          <option value="quick">quick</option>
        </select>
        <select
          data-testid="landmarks-kind"
          className="bg-black"
          value={kind}
          onChange={(e) => {
            const k = e.target.value as StudyKind | 'auto';
            setKind(k);
            training.kind = k;
          }}
        >
          {Object.entries(KIND_CHOICES).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
        <select
          data-testid="landmarks-backend"
          className="bg-black"
          value={backend}
          onChange={(e) => {
            setBackend(e.target.value);
            training.backends = BACKEND_CHOICES[e.target.value] as TrainingController['backends'];
          }}
        >
          {Object.keys(BACKEND_CHOICES).map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
        <button
          type="button"
          className={button}
          data-testid="landmarks-train"
          disabled={busy}
          onClick={() => run('landmarksTrain', { preset, backends: BACKEND_CHOICES[backend] })}
        >
          Train
        </button>
        {saved && (
          <button
            type="button"
            className={button}
            data-testid="landmarks-resume"
            disabled={busy}
            onClick={() => training.resume(training.backends).catch(() => undefined)}
          >
            Resume ({saved.stage}, epoch {saved.epoch + 1})
          </button>
        )}
        <button
          type="button"
          className={button}
          data-testid="landmarks-cancel"
          disabled={!busy}
          onClick={() => run('landmarksCancelTraining')}
        >
          Cancel
        </button>
        <button
          type="button"
          className={button}
          data-testid="landmarks-bench"
          disabled={busy}
          onClick={() => run('landmarksBenchBackends', { backends: BACKEND_CHOICES[backend] })}
        >
          Time backends
        </button>
      </div>
      <p data-testid="landmarks-train-phase" data-phase={state.phase} data-kind={state.kind ?? ''}>
        {state.phase}
        {state.kind ? ` · ${state.kind === '3d' ? '3D volumes' : '2D X-rays'}` : ''}
        {state.labelled !== undefined
          ? ` · ${state.labelled} annotated, ${state.unlabelled} unannotated`
          : ''}
        {state.backend ? ` · ${state.backend}` : ''}
      </p>
      {state.skipped.length > 0 && (
        <div data-testid="landmarks-train-skipped" className="break-words text-yellow-500">
          <p>
            {state.skipped.length === 1 ? '1 study' : `${state.skipped.length} studies`} left out
            (training goes on with the others):
          </p>
          <ul className="pl-4" style={{ listStyleType: 'disc' }}>
            {state.skipped.map((m) => (
              <li key={m} data-testid="landmarks-train-skipped-item">
                {m}
              </li>
            ))}
          </ul>
        </div>
      )}
      {saved && (
        <p data-testid="landmarks-saved" data-stage={saved.stage} data-epoch={saved.epoch}>
          saved training ({saved.reason === 'cancel' ? 'cancelled' : 'last epoch'}): {saved.preset},{' '}
          {saved.stage} epoch {saved.epoch + 1}, step {saved.stepsDone}
          {saved.stepsTotal ? `/${saved.stepsTotal}` : ''} · {saved.savedAt.slice(11, 19)} UTC{' '}
          <button
            type="button"
            className="underline"
            data-testid="landmarks-discard-saved"
            disabled={busy}
            onClick={() => training.discardSaved().catch(() => undefined)}
          >
            discard
          </button>
        </p>
      )}
      {state.checkpointMs.length > 0 && (
        <p data-testid="landmarks-checkpoint" data-ms={median(state.checkpointMs).toFixed(0)}>
          state saved {state.checkpointMs.length}× (median {median(state.checkpointMs).toFixed(0)}{' '}
          ms)
        </p>
      )}
      {state.pseudo && (
        <p data-testid="landmarks-pseudo-progress">
          pseudo-labelled {state.pseudo.done}/{state.pseudo.total}
          {state.pseudo.skipped
            ? ` · skipped ${state.pseudo.skipped} already labelled by this model`
            : ''}
        </p>
      )}
      {state.refiner && (
        <p
          data-testid="landmarks-refiner-note"
          className={state.refiner.startsWith('refiner applied') ? undefined : 'text-yellow-500'}
        >
          {state.refiner}
        </p>
      )}
      {state.start && (
        <p
          data-testid="landmarks-train-start"
          data-fine-tuning={String(state.start.fineTuning)}
          data-weights-id={state.start.weightsId ?? ''}
        >
          {state.start.note}
        </p>
      )}
      {state.note && (
        <p data-testid="landmarks-backend-note" className="text-yellow-500">
          {state.note}
        </p>
      )}
      {p && (
        <div data-testid="landmarks-train-progress">
          <div className="h-1 w-full bg-secondary-dark">
            <div
              className="h-1 bg-primary-light"
              style={{ width: `${(100 * p.stepsDone) / Math.max(1, p.stepsTotal)}%` }}
            />
          </div>
          {p.stage} · epoch {p.epoch + 1}/{p.epochs} · step {p.stepsDone}/{p.stepsTotal} · loss{' '}
          {p.loss.toFixed(4)} · ETA {seconds(state.etaMs)}
        </div>
      )}
      <Curve values={state.losses} testId="landmarks-loss-curve" />
      {state.mres.length > 0 && (
        <p data-testid="landmarks-mre">
          validation MRE {state.mres.map((m) => m.mm.toFixed(1)).join(' → ')} mm
        </p>
      )}
      <Curve values={state.mres.map((m) => m.mm)} testId="landmarks-mre-curve" />
      {state.msPerStep !== undefined && (
        <p data-testid="landmarks-timing">
          {state.msPerStep.toFixed(0)} ms/step · pseudo-label{' '}
          {state.pseudoLabelMsPerImage?.toFixed(0)} ms/study
        </p>
      )}
      {state.stored !== undefined && (
        <p data-testid="landmarks-stored">
          stored {state.stored} pseudo-label SR(s), {state.flagged} with flagged landmarks
          {state.queued ? `; ${state.queued} kept for the PACS (sent when it is back)` : ''}
        </p>
      )}
      {state.error && (
        <p role="alert" className="break-words text-red-500" data-testid="landmarks-train-error">
          {state.error}
        </p>
      )}
      {state.annotateNext.length > 0 && (
        <div>
          <h4 className="font-semibold">Annotate next (most unusual shape first)</h4>
          <ol data-testid="landmarks-annotate-next">
            {state.annotateNext.map((a) => (
              <li
                key={a.studyUid}
                data-testid="landmarks-annotate-next-item"
                data-study={a.studyUid}
              >
                {a.patientName || a.studyUid} · Mahalanobis {a.mahalanobis.toFixed(2)}
              </li>
            ))}
          </ol>
        </div>
      )}
      {state.bench.length > 0 && (
        <table data-testid="landmarks-bench-table">
          <tbody>
            {state.bench.map((b) => (
              <tr
                key={b.backend}
                data-testid="landmarks-bench-row"
                data-backend={b.backend}
                data-dimension={b.dimension ?? 2}
                data-ms={b.msPerStep ?? ''}
              >
                <td>
                  {b.backend}
                  {b.dimension === 3 ? ' (3D)' : ''}
                </td>
                <td>{b.msPerStep !== undefined ? `${b.msPerStep.toFixed(0)} ms/step` : b.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
