import type { Command } from 'commander';

/** Registers the `learning` sub-commands (filled in by the issue that owns them). */
export function registerLearningCommands(_program: Command): void {}
