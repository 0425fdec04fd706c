/**
 * tfjs' WebGPU backend in Node through Dawn's Node bindings (the optional npm package `webgpu`,
 * prebuilt dawn.node). Adapter: a hardware one when Dawn finds it, else Chromium's SwiftShader Vulkan
 * driver (Debian's `chromium` package) as Dawn's fallback adapter, which computes on the CPU (correct,
 * slow). Debian's Mesa lavapipe is refused by Dawn ("Vulkan shaderUniform*ArrayDynamicIndexing
 * required"). Nothing is imported until {@link startWebgpuBackend} runs. Synchronous reads (`dataSync`)
 * fail in Node (tfjs reads synchronously through an OffscreenCanvas): see core/tf/syncReadable.ts.
 * Study: docs/studies/2026-12-08-training-speed.md §5.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';

/** Chromium's SwiftShader Vulkan ICD (Debian's `chromium` package). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The parts of Dawn's WebGPU objects used here (the package's own types need not be installed). */
interface Adapter {
  info?: {
    vendor?: string;
    architecture?: string;
    device?: string;
    description?: string;
    isFallbackAdapter?: boolean;
  };
}
interface Gpu {
  requestAdapter(options?: { forceFallbackAdapter?: boolean }): Promise<Adapter | null>;
}
interface DawnModule {
  create(flags: string[]): Gpu;
  globals: Record<string, unknown>;
}

/** What {@link startWebgpuBackend} found. */
export interface WebgpuAdapterReport {
  /** e.g. "google swiftshader (SwiftShader driver 5.0.0), fallback adapter" */
  description: string;
  /** true when Dawn's fallback (software) adapter is used */
  fallback: boolean;
  /** the SwiftShader ICD this process pointed VK_ICD_FILENAMES to, if it did */
  icd?: string;
}

function describe(adapter: Adapter): WebgpuAdapterReport {
  const i = adapter.info ?? {};
  const name =
    [i.vendor, i.architecture].filter(Boolean).join(' ') || i.device || 'unknown adapter';
  const fallback = i.isFallbackAdapter === true;
  return {
    description: `${name}${i.description ? ` (${i.description})` : ''}${fallback ? ', fallback adapter' : ''}`,
    fallback,
  };
}

async function loadDawn(): Promise<DawnModule> {
  // A variable specifier: the package is optional, and type-checking must not need it.
  const specifier = 'webgpu';
  try {
    return (await import(/* webpackIgnore: true */ specifier)) as DawnModule;
  } catch (error) {
    throw new Error(
      `the optional npm package "webgpu" (Dawn for Node) is not installed or does not load on ${process.platform}-${process.arch} (${(error as Error).message}); install it with \`npm install webgpu\``,
    );
  }
}

/**
 * Finds an adapter: Dawn's default one (a hardware GPU), else, when the user has not set
 * VK_ICD_FILENAMES and the SwiftShader ICD exists, Dawn's fallback adapter on SwiftShader.
 * @throws naming what is missing; Dawn's own reason is printed by Dawn on stderr
 */
async function chooseAdapter(
  dawn: DawnModule,
  icd: string,
): Promise<{ gpu: Gpu; adapter: Adapter; report: WebgpuAdapterReport }> {
  let gpu = dawn.create([]);
  let adapter = await gpu.requestAdapter();
  adapter ??= await gpu.requestAdapter({ forceFallbackAdapter: true });
  if (adapter) return { gpu, adapter, report: describe(adapter) };
  const userIcd = process.env.VK_ICD_FILENAMES;
  if (userIcd === undefined && existsSync(icd)) {
    // The Vulkan loader reads VK_ICD_FILENAMES when Dawn creates its instance: set it, then a new one.
    process.env.VK_ICD_FILENAMES = icd;
    gpu = dawn.create([]);
    adapter = await gpu.requestAdapter({ forceFallbackAdapter: true });
    if (adapter) return { gpu, adapter, report: { ...describe(adapter), icd } };
    delete process.env.VK_ICD_FILENAMES;
  }
  throw new Error(
    `Dawn found no WebGPU adapter (Dawn's reason, if any, is above on stderr; ${
      userIcd !== undefined
        ? `VK_ICD_FILENAMES=${userIcd} was used`
        : existsSync(icd)
          ? `the SwiftShader Vulkan driver ${icd} was tried too`
          : `no GPU Vulkan driver, and no SwiftShader Vulkan driver at ${icd} (Debian: apt install chromium)`
    })`,
  );
}

let started: WebgpuAdapterReport | undefined;

/**
 * Registers and sets tfjs' `webgpu` backend on a Dawn adapter (once per process; later calls set the
 * backend again and return the same report). The cpu backend is initialised too, for the synchronous
 * sample preparation (core/tf/syncReadable.ts).
 * @param options.icd the SwiftShader ICD to fall back to (default {@link SWIFTSHADER_ICD})
 * @throws naming what is missing (the package, an adapter)
 */
export default async function startWebgpuBackend({
  icd = SWIFTSHADER_ICD,
}: { icd?: string } = {}): Promise<WebgpuAdapterReport> {
  if (started === undefined) {
    const dawn = await loadDawn();
    const { gpu, adapter, report } = await chooseAdapter(dawn, icd);
    // tfjs' WebGPU code uses the WebGPU globals (GPUBufferUsage, GPUMapMode, …) browsers define.
    for (const [key, value] of Object.entries(dawn.globals))
      if (!(key in globalThis))
        Object.defineProperty(globalThis, key, { value, configurable: true });
    // tfjs checks navigator.gpu (Node 20 has no navigator; later versions have one without gpu).
    const nav = (globalThis as { navigator?: object }).navigator;
    if (nav === undefined)
      Object.defineProperty(globalThis, 'navigator', {
        value: { gpu },
        configurable: true,
        writable: true,
      });
    else if (!('gpu' in nav)) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
    // The backend module registers its kernels at import and its backend factory only where
    // navigator.gpu exists; the factory is registered here instead, on the adapter chosen above.
    const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
    const registered = tf.findBackendFactory('webgpu') !== null;
    if (registered && tf.engine().registry.webgpu === undefined) tf.removeBackend('webgpu');
    if (tf.engine().registry.webgpu === undefined)
      tf.registerBackend('webgpu', () => createBackend(WebGPUBackend, adapter), 3);
    started = report;
  }
  const cpu = tf.findBackend('cpu') as (tf.KernelBackend & { firstUse?: boolean }) | null;
  if (cpu === null) throw new Error('the cpu backend did not initialise');
  // Its first use in Node prints advice to install tfjs-node, which is not what is going on here.
  cpu.firstUse = false;
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend did not initialise');
  await tf.ready();
  return started;
}

/** tfjs' own factory (tfjs-backend-webgpu base.ts) on a given adapter. */
async function createBackend(
  WebGPUBackend: typeof import('@tensorflow/tfjs-backend-webgpu').WebGPUBackend,
  adapter: Adapter,
): Promise<tf.KernelBackend> {
  const a = adapter as unknown as GPUAdapter;
  const requiredFeatures: GPUFeatureName[] = [];
  if (a.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
  const l = a.limits;
  const device = await a.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  });
  // The project's @webgpu/types predate GPUAdapter.info; Dawn has it.
  return new WebGPUBackend(
    device,
    adapter.info as unknown as ConstructorParameters<typeof WebGPUBackend>[1],
  );
}
