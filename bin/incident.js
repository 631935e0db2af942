#!/usr/bin/env node
// The launcher: make sure a supported Node runs the CLI, then hand over to the built CLI.
// It must itself parse and run on an old Node: plain ESM, Node built-ins only.
import { spawn } from 'node:child_process';
import module from 'node:module';
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  // `npm install -g .` or `npm link` puts this file on PATH, where `env node` may find the
  // system's Node 20. The project's own Node (a development dependency) sits next to the
  // package this file really belongs to, wherever the link on PATH points from.
  const launcher = realpathSync(fileURLToPath(import.meta.url));
  const pinned = join(dirname(launcher), '..', 'node_modules', 'node', 'bin', 'node');
  // INCIDENT_LAUNCHED_BY guards against a loop should that Node be too old as well.
  if (existsSync(pinned) && process.env.INCIDENT_LAUNCHED_BY === undefined) {
    const child = spawn(pinned, [launcher, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, INCIDENT_LAUNCHED_BY: process.versions.node },
    });
    // Ctrl+C reaches the child from the terminal itself (same process group): this process
    // only waits for it, so the child's own handling (interrupt, resume hint) decides. A
    // signal sent to this process alone is passed on.
    process.on('SIGINT', () => undefined);
    for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
    child.on('error', (error) => {
      process.stderr.write(`incident: cannot start ${pinned}: ${error.message}\n`);
      process.exit(2);
    });
    child.on('exit', (code, signal) => {
      if (signal === null) process.exit(code ?? 1);
      // Die of the same signal, so the shell sees what the child saw (130 for SIGINT).
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    });
  } else {
    process.stderr.write(
      `incident: Node.js ${process.versions.node} is too old; it needs Node.js 22.13 or newer ` +
        '(run `npm install` in the project, which brings Node 24 for it, or install Node 24 LTS).\n',
    );
    process.exit(2);
  }
} else {
  // V8 keeps the compiled code of the CLI's modules on disk between runs (Node's compile
  // cache), so a start compiles only what changed. It is a cache, not state: it lives in
  // $XDG_CACHE_HOME/incident (else ~/.cache/incident), never fails a run, and
  // NODE_COMPILE_CACHE moves it, NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  module.enableCompileCache(process.env.NODE_COMPILE_CACHE || join(cacheHome, 'incident', 'compile'));
  const args = process.argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
    // The fast path: a version check loads nothing but the version.
    const { VERSION } = await import('../dist/version.js');
    process.stdout.write(`${VERSION}\n`);
    process.exit(0);
  }
  const { main } = await import('../dist/cli.js');
  process.exitCode = await main(process.argv);
}
