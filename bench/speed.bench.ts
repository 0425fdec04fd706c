/**
 * `npm run bench:speed -- [options]`: ms per training step and per single-image inference of the `quick`
 * 2D, `paper` 2D and `quick` 3D U-Nets in tfjs (Node) against the same network in PyTorch on the same
 * number of threads (bench/unetSpeed.ts). Each tfjs measurement runs in its own process (the wasm
 * thread count is fixed when the backend starts); tfjs and PyTorch alternate within every round, and the
 * table gives medians over rounds and the median of the per-round ratios (the machine is shared).
 *
 * Options: --networks quick,paper,quick3d --threads 1,2 --backends wasm[,cpu,webgpu] --reps <timed steps per
 *   measurement> (default 3) --rounds <n> (default 3) --json (only {"rows":[…]} on stdout)
 *   --profile: instead of the table, one training step per kernel (self time, forward / gradient / Adam)
 *   for each network on the first backend and thread count.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { PRESETS, VOLUME_PRESETS } from '../extension/src/core/selfTraining/presets.ts';
import setupNodeBackend, {
  NODE_BACKENDS,
  type NodeBackend,
} from '../extension/src/node/nodeBackend.ts';
import { wasmThreadsCount } from '../extension/src/node/wasmThreads.ts';
import {
  median,
  tfjsUnetSpeed,
  torchUnetSpeed,
  unetWorkload,
  type SpeedResult,
  type UnetSpeedConfig,
} from './unetSpeed.ts';

const { values: args } = parseArgs({
  options: {
    networks: { type: 'string', default: 'quick,paper,quick3d' },
    threads: { type: 'string', default: '1,2' },
    backends: { type: 'string', default: 'wasm' },
    reps: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});

/** The benchmarked networks: the presets' U-Nets at their input size and batch. */
const NETWORKS: Record<
  string,
  { network: string; dims: number; cfg: Omit<UnetSpeedConfig, 'reps'> }
> = {
  quick: { network: 'quick', dims: 2, cfg: net2d('quick') },
  paper: { network: 'paper', dims: 2, cfg: net2d('paper') },
  quick3d: {
    network: 'quick',
    dims: 3,
    cfg: {
      inputShape: VOLUME_PRESETS.quick.inputShape,
      depth: VOLUME_PRESETS.quick.depth,
      baseFilters: VOLUME_PRESETS.quick.baseFilters,
      // The synthetic CBCT set's landmark count (CBCT_LANDMARKS).
      landmarks: 18,
      batch: VOLUME_PRESETS.quick.schedule.batchSize,
    },
  },
};

function net2d(name: 'quick' | 'paper'): Omit<UnetSpeedConfig, 'reps'> {
  const p = PRESETS[name];
  return {
    inputShape: p.inputShape,
    depth: p.depth,
    baseFilters: p.baseFilters,
    landmarks: 19,
    batch: p.schedule.batchSize,
  };
}

const list = (s: string) => s.split(',').filter(Boolean);
const networks = list(args.networks!);
for (const n of networks)
  if (!NETWORKS[n])
    throw new Error(`--networks: unknown ${n} (${Object.keys(NETWORKS).join(', ')})`);
const threadCounts = list(args.threads!).map(Number);
if (threadCounts.some((t) => !Number.isInteger(t) || t < 1))
  throw new Error('--threads must be positive integers');
const backends = list(args.backends!) as NodeBackend[];
for (const b of backends)
  if (!NODE_BACKENDS.includes(b))
    throw new Error(`--backends: unknown ${b} (${NODE_BACKENDS.join(', ')})`);
const reps = Number(args.reps);
const rounds = Number(args.rounds);
const progress = (line: string) => process.stderr.write(`${line}\n`);

interface ChildJob {
  network: string;
  backend: NodeBackend;
  threads: number;
  reps: number;
}

/** Child process: one tfjs measurement, one JSON line on stdout. */
async function child(job: ChildJob) {
  await setupNodeBackend(job.backend, false, { threads: job.threads });
  const actual = job.backend === 'wasm' ? wasmThreadsCount() : 1;
  if (actual !== job.threads) throw new Error(`asked for ${job.threads} threads, got ${actual}`);
  const r = await tfjsUnetSpeed({ ...NETWORKS[job.network]!.cfg, reps: job.reps });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

function tfjsInChild(job: ChildJob): SpeedResult {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', JSON.stringify(job)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as SpeedResult;
}

interface Row {
  network: string;
  dims: number;
  backend: string;
  threads: number;
  trainMs: number;
  inferMs: number;
  torchTrainMs: number;
  torchInferMs: number;
  trainRatio: number;
  inferRatio: number;
}

async function table() {
  const samples = new Map<string, { tfjs: SpeedResult; torch: SpeedResult }[]>();
  let torchVersion = '';
  for (let round = 0; round < rounds; round++) {
    for (const network of networks) {
      const cfg = { ...NETWORKS[network]!.cfg, reps };
      for (const threads of threadCounts) {
        for (const backend of backends) {
          const job = { network, backend, threads, reps };
          // Alternate which side runs first, so a burst of load elsewhere does not favour one.
          let tfjs: SpeedResult | undefined;
          if (round % 2 === 0) tfjs = tfjsInChild(job);
          const torch = torchUnetSpeed(cfg, threads);
          if (round % 2 === 1) tfjs = tfjsInChild(job);
          torchVersion = torch.torch;
          const key = `${network}|${backend}|${threads}`;
          samples.set(key, [...(samples.get(key) ?? []), { tfjs: tfjs!, torch }]);
          progress(
            `round ${round + 1}/${rounds} ${network} ${backend} ${threads} thread(s): tfjs ${tfjs!.trainStepMs.toFixed(0)} / ${tfjs!.inferenceMs.toFixed(0)} ms, PyTorch ${torch.trainStepMs.toFixed(0)} / ${torch.inferenceMs.toFixed(0)} ms`,
          );
        }
      }
    }
  }
  const rows: Row[] = [];
  const shapes: string[] = [];
  for (const [key, s] of samples) {
    const [network, backend, threads] = key.split('|') as [string, string, string];
    const n = NETWORKS[network]!;
    shapes.push(`${n.cfg.inputShape.join('×')} × ${n.cfg.batch}`);
    rows.push({
      network: n.network,
      dims: n.dims,
      backend,
      threads: Number(threads),
      trainMs: median(s.map((x) => x.tfjs.trainStepMs)),
      inferMs: median(s.map((x) => x.tfjs.inferenceMs)),
      torchTrainMs: median(s.map((x) => x.torch.trainStepMs)),
      torchInferMs: median(s.map((x) => x.torch.inferenceMs)),
      trainRatio: median(s.map((x) => x.tfjs.trainStepMs / x.torch.trainStepMs)),
      inferRatio: median(s.map((x) => x.tfjs.inferenceMs / x.torch.inferenceMs)),
    });
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ rows })}\n`);
    return;
  }
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(
    `Medians of ${rounds} rounds × ${reps} timed steps; PyTorch ${torchVersion} (Debian python3-torch); ratio = tfjs / PyTorch, median of per-round ratios.`,
  );
  out();
  out(
    '| network | dims | input × batch | backend | threads | train ms/step | infer ms | PyTorch train ms | PyTorch infer ms | train ratio | infer ratio |',
  );
  out('| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [i, r] of rows.entries()) {
    out(
      `| ${r.network} | ${r.dims}D | ${shapes[i]} | ${r.backend} | ${r.threads} | ${r.trainMs.toFixed(0)} | ${r.inferMs.toFixed(1)} | ${r.torchTrainMs.toFixed(0)} | ${r.torchInferMs.toFixed(1)} | ${r.trainRatio.toFixed(2)}× | ${r.inferRatio.toFixed(2)}× |`,
    );
  }
}

/**
 * Per-kernel self time of one training step: every kernel of the backend is wrapped with a timer; time
 * spent in kernels a kernel calls (the composite gradient kernels of registerTrainingKernels.ts) is
 * listed under "outer › inner" and not counted twice.
 */
async function profile() {
  const backend = backends[0]!;
  await setupNodeBackend(backend, false, { threads: threadCounts[0]! });
  let phase = 'forward';
  const stats = new Map<string, { calls: number; ms: number }>();
  const stack: { name: string; child: number }[] = [];
  for (const config of tf.getKernelsForBackend(backend)) {
    const inner = config.kernelFunc;
    const timed: KernelFunc = (params) => {
      const parent = stack.at(-1);
      stack.push({ name: config.kernelName, child: 0 });
      const t0 = performance.now();
      try {
        return inner(params);
      } finally {
        const ms = performance.now() - t0;
        const self = stack.pop()!;
        if (parent) parent.child += ms;
        const key = `${phase}|${parent ? `${parent.name} › ` : ''}${config.kernelName}`;
        const s = stats.get(key) ?? { calls: 0, ms: 0 };
        s.calls++;
        s.ms += ms - self.child;
        stats.set(key, s);
      }
    };
    tf.unregisterKernel(config.kernelName, backend);
    tf.registerKernel({ ...config, kernelFunc: timed, setupFunc: undefined } as KernelConfig);
  }
  for (const network of networks) {
    const w = unetWorkload({ ...NETWORKS[network]!.cfg, reps: 1 });
    const step = () => {
      const { value, grads } = w.optimizer.computeGradients(() => {
        phase = 'forward';
        const l = w.loss();
        phase = 'gradient';
        return l;
      });
      phase = 'Adam';
      w.optimizer.applyGradients(grads as Parameters<typeof w.optimizer.applyGradients>[0]);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    stats.clear();
    const t0 = performance.now();
    step();
    const wall = performance.now() - t0;
    w.dispose();
    const n = NETWORKS[network]!;
    const total = [...stats.values()].reduce((a, s) => a + s.ms, 0);
    const out = (line = '') => process.stdout.write(`${line}\n`);
    out(
      `### ${n.network} ${n.dims}D U-Net, ${n.cfg.inputShape.join('×')} × batch ${n.cfg.batch}, ${backend} ${threadCounts[0]} thread(s): one step ${wall.toFixed(0)} ms, kernels ${total.toFixed(0)} ms`,
    );
    out();
    const byPhase = new Map<string, number>();
    for (const [key, s] of stats)
      byPhase.set(key.split('|')[0]!, (byPhase.get(key.split('|')[0]!) ?? 0) + s.ms);
    out([...byPhase].map(([p, ms]) => `${p} ${ms.toFixed(0)} ms (${pct(ms, total)})`).join(', '));
    out();
    out('| phase | kernel | calls | ms | share |');
    out('| --- | --- | ---: | ---: | ---: |');
    for (const [key, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms)) {
      if (s.ms < total * 0.005) continue;
      const [p, name] = key.split('|');
      out(`| ${p} | ${name} | ${s.calls} | ${s.ms.toFixed(1)} | ${pct(s.ms, total)} |`);
    }
    out();
  }
}

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;

if (args.child) await child(JSON.parse(args.child) as ChildJob);
else if (args.profile) await profile();
else await table();
