/**
 * `landmarks model unpack <bundle.json> --out <modelDir>`: turns a viewer model bundle (the Model
 * section's one-file export, ohif/services/modelBundle.ts) into the CLI's model folder, so that
 * `landmarks predict --model <modelDir>` runs the browser-trained network. Thin: read, decode (every
 * check of decodeModelBundle, errors naming the file), bundleToModelFolder, write.
 * `landmarks model pack <modelDir> --out <bundle.json>` is the way back: a model folder (e.g. the
 * shipped models/isbi2015-cephalogram) as a file the viewer's Model section imports.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import {
  bundleToModelFolder,
  decodeModelBundle,
  encodeModelBundle,
  modelIdOf,
} from '../../ohif/services/modelBundle.ts';
import { METADATA_JSON, SHAPE_MODEL_JSON } from '../../node/modelStore.ts';
import { checkMetadata } from '../../core/models/landmarkModelMetadata.ts';
import { MODEL_JSON, WEIGHTS_BIN } from '../../node/fileIOHandler.ts';
import { REFINER_DIR } from '../../node/refinerStore.ts';

/**
 * Writes the model folder of a bundle file.
 * @returns the file names written and the model id
 * @throws Error naming the bundle file when it cannot be read or is not a valid bundle
 */
export async function unpackModelBundle(
  bundleFile: string,
  outDir: string,
): Promise<{ files: string[]; id: string }> {
  let text: string;
  try {
    text = await readFile(bundleFile, 'utf8');
  } catch (error) {
    throw new Error(
      `${bundleFile}: cannot read the model bundle (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  const { artifacts, info } = await decodeModelBundle(text, bundleFile, {
    kind: 'file',
    name: path.basename(bundleFile),
  });
  const files = bundleToModelFolder(artifacts, info);
  await mkdir(outDir, { recursive: true });
  // A refiner left in the folder by an earlier model would be applied to this one's estimates.
  await rm(path.join(outDir, REFINER_DIR), { recursive: true, force: true });
  for (const [name, contents] of Object.entries(files))
    await writeFile(path.join(outDir, name), contents);
  return { files: Object.keys(files), id: info.id };
}

/**
 * The bundle document of a model folder (the refiner, 2D patches on the original image, stays out: the
 * viewer does not run it).
 * @throws Error naming the file that is missing or broken
 */
export async function packModelFolder(dir: string): Promise<string> {
  const read = async (name: string) => {
    try {
      return await readFile(path.join(dir, name));
    } catch (error) {
      throw new Error(
        `${path.join(dir, name)}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`,
      );
    }
  };
  const modelJson = JSON.parse((await read(MODEL_JSON)).toString('utf8')) as {
    modelTopology: object;
    weightsManifest: { weights: [] }[];
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
  };
  const metadata = checkMetadata(
    JSON.parse((await read(METADATA_JSON)).toString('utf8')),
    path.join(dir, METADATA_JSON),
  );
  const bytes = await read(WEIGHTS_BIN);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const shapeModel = await readFile(path.join(dir, SHAPE_MODEL_JSON), 'utf8').catch(
    () => undefined,
  );
  const bundle = encodeModelBundle(
    {
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((m) => m.weights),
      weightData,
      ...(modelJson.format !== undefined ? { format: modelJson.format } : {}),
      ...(modelJson.generatedBy !== undefined ? { generatedBy: modelJson.generatedBy } : {}),
      ...(modelJson.convertedBy !== undefined ? { convertedBy: modelJson.convertedBy } : {}),
    },
    {
      id: await modelIdOf(weightData),
      // The folder keeps no training date; the weights file's time is when they were written.
      trainedAt: (await stat(path.join(dir, WEIGHTS_BIN))).mtime.toISOString(),
      source: { kind: 'file', name: path.basename(dir) },
      metadata,
      ...(shapeModel !== undefined ? { shapeModel } : {}),
    },
  );
  return JSON.stringify(bundle);
}

/** Registers `model unpack` and `model pack`. */
export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('convert model files');
  model
    .command('unpack')
    .description('turn a viewer model bundle (.json) into a model folder for `landmarks predict`')
    .argument('<bundle.json>', 'bundle exported by the viewer’s Model section')
    .requiredOption('--out <modelDir>', 'model folder to write (created if needed)')
    .action(async (bundle: string, o: { out: string }) => {
      const { files, id } = await unpackModelBundle(bundle, o.out);
      process.stdout.write(`model ${id} unpacked into ${o.out} (${files.join(', ')})\n`);
    });
  model
    .command('pack')
    .description('turn a model folder into one file the viewer’s Model section imports')
    .argument('<modelDir>', 'model folder (landmarks train, or models/isbi2015-cephalogram)')
    .requiredOption('--out <bundle.json>', 'bundle file to write')
    .action(async (dir: string, o: { out: string }) => {
      await writeFile(o.out, await packModelFolder(dir));
      process.stdout.write(`model folder ${dir} packed into ${o.out}\n`);
    });
}
