// Running the triage brain on a bundle in-process, and reading a fixture's truth.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
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

/** Whether the bundle's changes include a later one that reverts the given change (a rollback already done). */
export function alreadyReverted(bundle: string, changeId: string | null): boolean {
  if (changeId === null) return false;
  const file = ['changes.yaml', 'changes.yml', 'changes.json'].map((name) => join(bundle, name)).find((path) => existsSync(path));
  if (!file) return false;
  const parsed = YAML.parse(readFileSync(file, 'utf8')) as unknown;
  const list = Array.isArray(parsed) ? parsed : ((parsed as { changes?: unknown[] } | null)?.changes ?? []);
  return list.some((change) => (change as { reverts?: unknown }).reverts === changeId);
}
