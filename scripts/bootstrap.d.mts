// Types of scripts/bootstrap.mjs (plain Node, so it runs before node_modules exists).

/** The OHIF release the extension and mode are built and tested against (`@ohif/app` on npm). */
export const OHIF_VERSION: string;

/** Debian package name -> the file (absolute, or a command on PATH) that shows it is installed. */
export const DEBIAN_PACKAGES: Record<string, string>;

/**
 * The Debian packages `npm test` or `npm start` needs (none for start with `--pacs`; no
 * invesalius-examples, the demo's head CT, with `seed: false`).
 */
export function requiredPackages(
  target: 'test' | 'start',
  options?: { pacsGiven?: boolean; seed?: boolean },
): string[];

/** What to do about missing Debian packages (install as root, else print the command). */
export function aptPlan(
  missing: string[],
  machine: { isRoot: boolean; hasAptGet: boolean },
):
  | { action: 'none' }
  | { action: 'install'; line: string; commands: string[][] }
  | { action: 'refuse'; message: string };

/** A package-lock.json or node_modules/.package-lock.json, as far as the check reads it. */
export interface Lockfile {
  packages?: Record<string, { version?: string; optional?: boolean }>;
}

/** Why `npm ci` is needed, or undefined when node_modules matches package-lock.json. */
export function npmInstallReason(
  installed: Lockfile | undefined,
  lock: Lockfile,
  times: { installedMtimeMs: number; lockMtimeMs: number },
): string | undefined;

/** Installs what `target` needs; exits the process with a message when it cannot. */
export function bootstrap(
  target: 'test' | 'start',
  options?: { pacsGiven?: boolean; seed?: boolean },
): void;
