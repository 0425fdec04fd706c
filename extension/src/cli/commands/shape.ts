import type { Command } from 'commander';

/** Registers the `shape` sub-commands (filled in by the issue that owns them). */
export function registerShapeCommands(_program: Command): void {}
