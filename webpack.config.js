// Builds the OHIF extension and mode as ES modules that the published OHIF app loads at run time by URL
// (app-config `extensions` / `modes`; see ../shared/notes/ohif-runtime-plugins.md):
//   dist/plugins/landmarks/extension.js   default export = the extension object
//   dist/plugins/landmarks/mode.js        default export = the mode ({ id, modeFactory })
//   dist/plugins/landmarks/worker.js      module Web Worker for training / pseudo-labelling
// React 18 is bundled into our island only; OHIF and Cornerstone are never bundled (reached at run time
// through the managers OHIF passes in).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const root = path.dirname(fileURLToPath(import.meta.url));

/** Emits tfjs' wasm binaries and the threaded build's script beside the worker (setWasmPaths). */
class CopyTfjsWasm {
  apply(compiler) {
    const dir = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    compiler.hooks.thisCompilation.tap('CopyTfjsWasm', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'CopyTfjsWasm', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          for (const f of readdirSync(dir).filter((n) => n.endsWith('.wasm'))) {
            compilation.emitAsset(
              f,
              new webpack.sources.RawSource(readFileSync(path.join(dir, f))),
            );
          }
          // The unbundled threaded-SIMD script each wasm pthread loads (worker/wasmThreads.ts).
          const threaded = 'tfjs-backend-wasm-threaded-simd.js';
          compilation.emitAsset(
            threaded,
            new webpack.sources.RawSource(readFileSync(path.join(dir, '../wasm-out', threaded))),
          );
        },
      );
    });
  }
}

/** @returns {import('webpack').Configuration} */
export default (_env, argv = {}) => {
  const production = argv.mode !== 'development';
  return {
    mode: production ? 'production' : 'development',
    devtool: production ? false : 'source-map',
    target: 'web',
    entry: {
      extension: { import: './extension/src/ohif/index.ts', library: { type: 'module' } },
      mode: { import: './mode/src/index.ts', library: { type: 'module' } },
      worker: { import: './extension/src/ohif/worker/worker.ts' },
    },
    experiments: { outputModule: true },
    output: {
      path: path.join(root, 'dist', 'plugins', 'landmarks'),
      filename: '[name].js',
      chunkFilename: 'chunks/[name].[contenthash:8].js',
      module: true,
      chunkFormat: 'module',
      // Assets and chunks resolve against the bundle's own URL (import.meta.url), not the page.
      publicPath: 'auto',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.mjs'],
      // Sources import with explicit `.ts` extensions (tsconfig allowImportingTsExtensions).
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
      fallback: { fs: false, path: false, crypto: false, os: false, worker_threads: false },
    },
    module: {
      parser: {
        // Leave `import.meta.url` to the browser: the mode keys our extension by its real URL.
        // Backends are imported lazily in code; bundle them into the worker instead of chunk files.
        javascript: { importMeta: false, dynamicImportMode: 'eager' },
      },
      rules: [
        {
          test: /\.[cm]?tsx?$/,
          exclude: /node_modules/,
          loader: 'esbuild-loader',
          options: { target: 'es2022', jsx: 'automatic' },
        },
      ],
    },
    plugins: [
      new CopyTfjsWasm(),
      new webpack.DefinePlugin({
        'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development'),
      }),
    ],
    performance: { hints: false },
    optimization: { splitChunks: false },
  };
};
