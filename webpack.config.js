// Builds the OHIF extension and mode as ES modules that the published OHIF app loads at run time by URL
// (app-config `extensions` / `modes`; see ../shared/notes/ohif-runtime-plugins.md):
//   dist/plugins/landmarks/extension.js   default export = the extension object
//   dist/plugins/landmarks/mode.js        default export = the mode ({ id, modeFactory })
//   dist/plugins/landmarks/worker.js      module Web Worker for training / pseudo-labelling
// React 18 is bundled into our island only; OHIF and Cornerstone are never bundled (reached at run time
// through the managers OHIF passes in).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const root = path.dirname(fileURLToPath(import.meta.url));

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
        javascript: { importMeta: false },
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
      new webpack.DefinePlugin({
        'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development'),
      }),
    ],
    performance: { hints: false },
    optimization: { splitChunks: false },
  };
};
