// Runs every benchmark (bench/*.mjs except this one), each in its own process, and
// prints their JSON lines and a summary. Figures are ratios against a baseline measured
// in the same run, so they mean the same on any machine. `npm run bench` builds first.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith('.mjs') && name !== 'run.mjs' && !name.startsWith('_'))
  .filter((name) => only.length === 0 || only.some((wanted) => name.includes(wanted)))
  .sort();

const results = [];
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', join(here, file)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(run.stdout);
  for (const line of run.stdout.split('\n')) {
    if (line.startsWith('{') && line.includes('"bench"')) {
      try {
        results.push(JSON.parse(line));
      } catch {
        // a human line that happens to start with a brace
      }
    }
  }
  if (run.status !== 0) results.push({ bench: file, error: `exited with ${run.status}` });
}
process.stdout.write(`\n== summary\n${JSON.stringify(results, null, 2)}\n`);
