/**
 * `landmarks model unpack <bundle.json> --out <modelDir>`: turns a viewer model bundle (the Model
 * section's one-file export, ohif/services/modelBundle.ts) into the CLI's model folder, so that
 * `landmarks predict --model <modelDir>` runs the browser-trained network. Thin: read, decode (every
 * check of decodeModelBundle, errors naming the file), bundleToModelFolder, write.
 * `landmarks model pack <modelDir> --out <bundle.json>` is the way back: a model folder (e.g. the
 * shipped models/isbi2015-cephalogram) as a file the viewer's Model section imports. Both carry the
 * folder's coarse-to-fine refiner (`refiner/`) when it has one (bundle version 2).
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import {
  bundleToModelFolder,
  decodeModelBundle,
  encodeModelBundle,
  modelIdOf,
  type ModelArtifactsLike,
} from '../../ohif/services/modelBundle.ts';
import { METADATA_JSON, SHAPE_MODEL_JSON } from '../../node/modelStore.ts';
import { checkMetadata } from '../../core/models/landmarkModelMetadata.ts';
import { MODEL_JSON, WEIGHTS_BIN } from '../../node/fileIOHandler.ts';
import { REFINER_DIR, REFINER_JSON } from '../../node/refinerStore.ts';
import { checkRefinerMetadata } from '../../core/refinement/refinerMetadata.ts';
import type { RefinerMetadata } from '../../core/refinement/types.ts';

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
  for (const [name, contents] of Object.entries(files)) {
    const file = path.join(outDir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, contents);
  }
  return { files: Object.keys(files), id: info.id };
}

/** Reads a tfjs layers model.json + weights.bin pair of the model folder (or its refiner/). */
async function readNetwork(
  read: (name: string) => Promise<Buffer>,
  subdir = '',
): Promise<ModelArtifactsLike> {
  const modelJson = JSON.parse((await read(path.join(subdir, MODEL_JSON))).toString('utf8')) as {
    modelTopology: object;
    weightsManifest: { weights: [] }[];
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
  };
  const bytes = await read(path.join(subdir, WEIGHTS_BIN));
  return {
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest.flatMap((m) => m.weights),
    weightData: bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer,
    ...(modelJson.format !== undefined ? { format: modelJson.format } : {}),
    ...(modelJson.generatedBy !== undefined ? { generatedBy: modelJson.generatedBy } : {}),
    ...(modelJson.convertedBy !== undefined ? { convertedBy: modelJson.convertedBy } : {}),
  };
}

/**
 * The bundle document of a model folder, with its refiner (`refiner/`: refiner.json checked, its
 * network's weights as base64) when the folder has one.
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
  const network = await readNetwork(read);
  const landmarkMetadata = checkMetadata(
    JSON.parse((await read(METADATA_JSON)).toString('utf8')),
    path.join(dir, METADATA_JSON),
  );
  const shapeModel = await readFile(path.join(dir, SHAPE_MODEL_JSON), 'utf8').catch(
    () => undefined,
  );
  let refiner: { metadata: RefinerMetadata; network: ModelArtifactsLike } | undefined;
  const refinerJson = path.join(REFINER_DIR, REFINER_JSON);
  const refinerText = await readFile(path.join(dir, refinerJson), 'utf8').catch(() => undefined);
  if (refinerText !== undefined) {
    const source = path.join(dir, refinerJson);
    let raw: unknown;
    try {
      raw = JSON.parse(refinerText);
    } catch (error) {
      throw new Error(`${source}: not JSON (${(error as Error).message})`);
    }
    checkRefinerMetadata(raw, source);
    const metadata = raw as RefinerMetadata; // as written: unpack gives the same file back
    if (metadata.config.landmarkCount !== landmarkMetadata.landmarkNames.length)
      throw new Error(
        `${source}: ${metadata.config.landmarkCount} landmarks, the model ${landmarkMetadata.landmarkNames.length}`,
      );
    refiner = { metadata, network: await readNetwork(read, REFINER_DIR) };
  }
  const bundle = encodeModelBundle(
    { ...network, ...(refiner ? { refiner: refiner.network } : {}) },
    {
      id: await modelIdOf(network.weightData),
      // The folder keeps no training date; the weights file's time is when they were written.
      trainedAt: (await stat(path.join(dir, WEIGHTS_BIN))).mtime.toISOString(),
      source: { kind: 'file', name: path.basename(dir) },
      metadata: landmarkMetadata,
      ...(shapeModel !== undefined ? { shapeModel } : {}),
      ...(refiner ? { refiner: refiner.metadata } : {}),
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
