// Time to the terminal UI's first frame (the start screen, in a real pseudo-terminal
// from util-linux `script`) as a ratio to `incident --version` in the same run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './_bundle.mjs';
import { median, report } from './_util.mjs';

const bin = join(root, 'bin', 'incident.js');
const home = mkdtempSync(join(tmpdir(), 'incident-bench-tui-'));

/** Spawns a command in a 100x40 pty and resolves when its output matches. */
function timeToOutput(command, pattern) {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 100 rows 40; ${command}`, '/dev/null'], {
      env: { ...process.env, INCIDENT_HOME: home, NO_COLOR: '1', CI: '' },
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true,
    });
    let out = '';
    const timer = setTimeout(() => finish(new Error(`no match within 20 s: ${out.slice(-2000)}`)), 20_000);
    const finish = (error) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      if (error) reject(error);
    };
    child.stdout.on('data', (chunk) => {
      out += chunk.toString().replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
      if (pattern.test(out)) {
        const ms = performance.now() - began;
        finish();
        resolve(ms);
      }
    });
  });
}

const check = await timeToOutput(`${process.execPath} ${bin} --version`, /\d+\.\d+\.\d+/).catch(() => null);
if (check === null) {
  process.stdout.write('skipped: util-linux `script` could not run a pseudo-terminal here\n');
  report({ bench: 'tui_first_frame', skipped: true });
  process.exit(0);
}
const version = [];
const frame = [];
for (let i = 0; i < 7; i += 1) {
  version.push(await timeToOutput(`${process.execPath} ${bin} --version`, /\d+\.\d+\.\d+/));
  frame.push(await timeToOutput(`${process.execPath} ${bin}`, /Recent sessions/i));
}
rmSync(home, { recursive: true, force: true });
const result = {
  bench: 'tui_first_frame',
  version_ms: Number(median(version).toFixed(1)),
  first_frame_ms: Number(median(frame).toFixed(1)),
  ratio_to_version: Number((median(frame) / median(version)).toFixed(2)),
};
process.stdout.write(`first frame of the terminal UI: ${result.first_frame_ms} ms = ${result.ratio_to_version}× incident --version (${result.version_ms} ms), both in a pty\n`);
report(result);
