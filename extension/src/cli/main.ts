import { Command } from 'commander';
import { registerShapeCommands } from './commands/shape.ts';
import { registerLearningCommands } from './commands/learning.ts';
import { registerPacsCommands } from './commands/pacs.ts';

/** Builds the `landmarks` command line; each domain registers its own sub-commands. */
export function buildProgram(): Command {
  const program = new Command('landmarks')
    .description('Anatomical landmark detection with shape-regulated self-training')
    .showHelpAfterError();
  registerShapeCommands(program);
  registerLearningCommands(program);
  registerPacsCommands(program);
  return program;
}

/** Entry point of `npx landmarks`; errors are printed without a stack trace and exit with 1. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.stderr.write(`landmarks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
