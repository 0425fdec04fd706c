/**
 * Builds the plugins once for the whole e2e project (each file used to run its own webpack build:
 * 1–8 minutes apiece on a 2-core machine). Files then start their stacks from the built dist/.
 */
import type { TestProject } from 'vitest/node';
import { buildPlugins } from './stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pluginsBuilt: boolean;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  await buildPlugins();
  project.provide('pluginsBuilt', true);
}
