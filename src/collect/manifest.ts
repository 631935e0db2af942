// What a collection has done, kept in `.collect/manifest.json` inside its folder after every
// step. Running the same command again reads it, skips the steps that are done and retries
// the ones that failed (a source may be back), so an interrupted collection continues
// instead of starting over. The window is fixed at the first run: "the last 3 hours" means
// the same hours when the rerun comes a minute later.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { BundleOutput } from './output.js';
import { STATE_DIR } from './output.js';
import type { CollectProblem } from './problems.js';
import type { Window } from './window.js';

const VERSION = 1;

export interface StepRecord {
  ok: boolean;
  /** Bundle paths this step wrote. */
  files: string[];
  problems: CollectProblem[];
  /** What later steps need from this one (the alert's start, the discovered queries, the changes). */
  data?: unknown;
}

export interface ManifestState {
  version: number;
  key: string;
  started_at: string;
  window: Window | null;
  complete: boolean;
  steps: Record<string, StepRecord>;
}

export function manifestPath(root: string): string {
  return join(root, STATE_DIR, 'manifest.json');
}

export async function readManifest(root: string): Promise<ManifestState | null> {
  const text = await readFile(manifestPath(root), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as ManifestState;
    return parsed.version === VERSION && typeof parsed.key === 'string' && typeof parsed.steps === 'object' ? parsed : null;
  } catch {
    return null;
  }
}

export class Manifest {
  readonly #output: BundleOutput;
  readonly state: ManifestState;

  private constructor(output: BundleOutput, state: ManifestState) {
    this.#output = output;
    this.state = state;
  }

  /**
   * The manifest of this plan in `output`: continued when the folder holds one with the same
   * key, new when the folder is empty or new. A folder that holds something else is refused:
   * nothing of the user's is overwritten.
   */
  static async open(output: BundleOutput, key: string, folderEmpty: boolean): Promise<Manifest> {
    const existing = await readManifest(output.root);
    if (existing !== null && existing.key === key) return new Manifest(output, existing);
    if (existing !== null) {
      throw new InputError(`${output.root} holds a collection made with other options`, {
        hint: 'run the same command to continue it, or give another --out for this one',
      });
    }
    if (!folderEmpty) {
      throw new InputError(`${output.root} is not empty and is not a collection`, { hint: 'give --out a new or empty folder' });
    }
    return new Manifest(output, { version: VERSION, key, started_at: new Date().toISOString(), window: null, complete: false, steps: {} });
  }

  done(step: string): StepRecord | null {
    const record = this.state.steps[step];
    return record?.ok ? record : null;
  }

  async record(step: string, record: StepRecord): Promise<void> {
    this.state.steps[step] = record;
    await this.save();
  }

  async forget(step: string): Promise<void> {
    if (!(step in this.state.steps)) return;
    delete this.state.steps[step];
    await this.save();
  }

  async setWindow(window: Window): Promise<void> {
    this.state.window = window;
    await this.save();
  }

  async finish(): Promise<void> {
    this.state.complete = true;
    await this.save();
  }

  problems(): CollectProblem[] {
    return Object.values(this.state.steps).flatMap((record) => record.problems);
  }

  save(): Promise<void> {
    return this.#output.write(`${STATE_DIR}/manifest.json`, `${JSON.stringify(this.state, null, 2)}\n`);
  }
}
