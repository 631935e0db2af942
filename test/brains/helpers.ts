// Running the triage brain on a bundle in-process, and reading a fixture's truth.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTriageBrain } from '../../src/brains/triage/index.js';
import { runBrainOnBundle, type HarnessOptions, type HarnessRun } from '../../src/cli/eval-harness.js';

export const FIXTURES = resolve('fixtures');

export interface Truth {
  category: string;
  service: string | null;
  change_id: string | null;
  onset: string;
}

export function fixtureBundles(): string[] {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES)
    .filter((name) => existsSync(join(FIXTURES, name, 'truth.json')))
    .sort();
}

export function truthOf(bundle: string): Truth {
  return JSON.parse(readFileSync(join(bundle, 'truth.json'), 'utf8')) as Truth;
}

export function triage(bundle: string, options: HarnessOptions = {}): Promise<HarnessRun> {
  return runBrainOnBundle(createTriageBrain(), bundle, options);
}

/** The onset a diagnosis states in its timeline. */
export function statedOnset(run: HarnessRun): number | null {
  const entry = run.diagnosis?.timeline.find((e) => /\bonset\b/i.test(e.event));
  return entry ? Date.parse(entry.at) : null;
}
