// An evaluation: every bundle of every set investigated as a session of one local
// runtime, one after another, and scored against its truth.
import { basename } from 'node:path';
import type { Brain } from '../brains/brain.js';
import { readTruth, type BundleSet } from './folders.js';
import { openEvalRuntime } from './investigate.js';
import type { FolderResult } from './report.js';
import { score } from './score.js';

export interface EvaluateOptions {
  /** The brain under evaluation (default: the offline triage engine). */
  brain?: () => Brain;
  /** Told after each bundle (progress on a terminal). */
  onBundle?: (bundle: string, done: number, total: number) => void;
}

export async function evaluate(sets: readonly BundleSet[], options: EvaluateOptions = {}): Promise<FolderResult[]> {
  // Every answer key is read before the first investigation: a bad one stops the run at once.
  const truths = new Map(sets.flatMap((set) => set.bundles.map((bundle) => [bundle, readTruth(bundle)] as const)));
  const total = truths.size;
  const runtime = await openEvalRuntime(options.brain ? { brain: options.brain } : {});
  const results: FolderResult[] = [];
  let done = 0;
  try {
    for (const set of sets) {
      const rows = [];
      for (const bundle of set.bundles) {
        const truth = truths.get(bundle) ?? readTruth(bundle);
        const run = await runtime.investigate(bundle);
        rows.push(score(basename(bundle), truth, run.diagnosis, { toolCalls: run.toolCalls.length, elapsedMs: run.elapsedMs }));
        done += 1;
        options.onBundle?.(bundle, done, total);
      }
      results.push({ folder: set.folder, rows });
    }
  } finally {
    await runtime.close();
  }
  return results;
}

