/**
 * Built-in models: model folders shipped in models/ that `npm start`'s server offers the viewer as
 * bundles (the Model section's import format) at `/models/<name>.json`, same origin as the viewer, and
 * lists in app-config.js (`landmarks.builtinModels`), so that a template has a model before any
 * training or import. A folder is packed (`landmarks model pack`) on its first request, then kept in
 * memory; the viewer fetches it only when the template's model is first used.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** URL path under which built-in bundles are served. */
export const BUILTIN_MODEL_PREFIX = '/models/';

/** A shipped model folder and the template it serves. */
export interface BuiltinModelFolder {
  /** Anatomy template id (extension/src/ohif/templates.ts). */
  templateId: string;
  /** File name stem of the bundle: served at `/models/<name>.json`. */
  name: string;
  /** CLI model folder (model.json, weights.bin, landmarks-model.json, shape-model.json). */
  dir: string;
  /** Shown in the Model section. */
  label: string;
}

/** The models this repository ships. */
export const SHIPPED_MODELS: readonly BuiltinModelFolder[] = [
  {
    templateId: 'cephalogram',
    name: 'isbi2015-cephalogram',
    dir: path.join(repoRoot, 'models', 'isbi2015-cephalogram'),
    label: 'ISBI 2015 cephalogram (research use)',
  },
];

/** The app-config entries (`landmarks.builtinModels`) of the folders that exist. */
export function builtinModelConfig(
  folders: readonly BuiltinModelFolder[],
): Array<{ templateId: string; url: string; label: string }> {
  return folders
    .filter((f) => existsSync(path.join(f.dir, 'model.json')))
    .map((f) => ({
      templateId: f.templateId,
      url: `${BUILTIN_MODEL_PREFIX}${f.name}.json`,
      label: f.label,
    }));
}

/**
 * A lookup from a request path to the bundle text of a built-in model (packed once, on first request);
 * undefined for paths that name no built-in model.
 */
export function builtinBundles(
  folders: readonly BuiltinModelFolder[],
): (pathname: string) => Promise<string> | undefined {
  const packed = new Map<string, Promise<string>>();
  return (pathname) => {
    const folder = folders.find((f) => pathname === `${BUILTIN_MODEL_PREFIX}${f.name}.json`);
    if (!folder) return undefined;
    let text = packed.get(folder.name);
    if (!text) {
      // The packer brings tfjs' types module along: loaded at the first request, not at start.
      text = import('../extension/src/cli/commands/model.ts').then((m) =>
        m.packModelFolder(folder.dir),
      );
      text.catch(() => packed.delete(folder.name));
      packed.set(folder.name, text);
    }
    return text;
  };
}
