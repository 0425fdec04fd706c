/**
 * The whole stack a browser test needs: the published viewer (fetched once into vendor/), our plugins
 * (built with webpack), a fresh Orthanc, and the same-origin server in front of both.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { fetchViewer } from '../../../scripts/fetchViewer.ts';
import { SHIPPED_MODELS } from '../../../scripts/builtinModels.ts';
import { startServer, type RunningServer } from '../../../scripts/serve.ts';
import { startOrthanc, type TestOrthanc } from '../../support/orthanc.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Stack {
  pacs: TestOrthanc;
  server: RunningServer;
  stop(): Promise<void>;
}

/** Builds the plugins (production webpack build, a few seconds). */
export async function buildPlugins(): Promise<void> {
  await run(
    process.execPath,
    [path.join(repoRoot, 'node_modules/webpack-cli/bin/cli.js'), '--mode', 'production'],
    {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
}

/**
 * Fetches the viewer, builds the plugins (unless the e2e global set-up did), starts Orthanc and the
 * server; `builtinModels`: serve and list the shipped models as `npm start` does (default none).
 */
export async function startStack(options: { builtinModels?: boolean } = {}): Promise<Stack> {
  const build = inject('pluginsBuilt') ? Promise.resolve() : buildPlugins();
  const [viewerDist] = await Promise.all([fetchViewer({ log: () => undefined }), build]);
  const pacs = await startOrthanc();
  let server: RunningServer;
  try {
    server = await startServer({
      dicomWebUrl: pacs.dicomWebUrl,
      port: 0,
      viewerDist,
      ...(options.builtinModels ? { builtinModels: SHIPPED_MODELS } : {}),
    });
  } catch (err) {
    await pacs.stop();
    throw err;
  }
  return {
    pacs,
    server,
    async stop() {
      await server.close();
      await pacs.stop();
    },
  };
}
