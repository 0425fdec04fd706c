import type { Command } from 'commander';

/** Registers the `pacs` sub-commands (filled in by the issue that owns them). */
export function registerPacsCommands(_program: Command): void {}
