/**
 * `landmarks model unpack <bundle.json> --out <modelDir>`: turns a viewer model bundle (the Model
 * section's one-file export, ohif/services/modelBundle.ts) into the CLI's model folder, so that
 * `landmarks predict --model <modelDir>` runs the browser-trained network. Thin: read, decode (every
 * check of decodeModelBundle, errors naming the file), bundleToModelFolder, write.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { bundleToModelFolder, decodeModelBundle } from '../../ohif/services/modelBundle.ts';
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

/** Registers `model unpack`. */
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
}
