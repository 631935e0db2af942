// Cold `incident --version` and `--help` as a ratio to `node -e 0` on the same Node in
// the same run (goal ≤ 1.4×: Ink, React and the SDK must not load for them).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report, timeCommand } from './_util.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'incident.js');
const node = process.execPath;
// Interleave the measurements so drift of the machine hits both sides alike.
const baseline = [];
const version = [];
const help = [];
for (let round = 0; round < 5; round += 1) {
  baseline.push(timeCommand(node, ['-e', '0'], 5));
  version.push(timeCommand(node, [bin, '--version'], 5));
  help.push(timeCommand(node, [bin, '--help'], 5));
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = {
  bench: 'startup',
  node_e0_ms: Number(med(baseline).toFixed(1)),
  version_ms: Number(med(version).toFixed(1)),
  help_ms: Number(med(help).toFixed(1)),
  version_ratio: Number((med(version) / med(baseline)).toFixed(2)),
  help_ratio: Number((med(help) / med(baseline)).toFixed(2)),
  goal_version_ratio: 1.4,
};
process.stdout.write(`incident --version: ${result.version_ms} ms = ${result.version_ratio}× node -e 0 (${result.node_e0_ms} ms); --help ${result.help_ratio}×\n`);
report(result);
