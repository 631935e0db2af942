// Where the built worker entry is. The CLI runs from dist/cli.js (or a chunk under
// dist/chunks/), tests run from the sources; both find dist/hands-worker.js by walking up.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKER_FILE = 'hands-worker.js';

/** The path of dist/hands-worker.js (or another built entry, `file`), or undefined when it has not been built. */
export function defaultWorkerScript(from: string = fileURLToPath(import.meta.url), file: string = WORKER_FILE): string | undefined {
  let dir = path.dirname(from);
  for (;;) {
    for (const candidate of [path.join(dir, file), path.join(dir, 'dist', file)]) {
      if (existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
