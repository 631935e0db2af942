// `incident <bundle>` in a tmux pane, the way an on-call engineer runs it: a copy of a
// fixture without its answer key, a state home of its own, no API key, no colour.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { BIN, cliEnv, tempHome, userBundle } from '../cli.js';
import type { TmuxPane, TmuxServer } from './tmux.js';

export const WIDTH = 100;
export const HEIGHT = 40;

const created: string[] = [];

/** A temporary directory removed by `removeTempDirs`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function launch(server: TmuxServer, fixture: string, extraArgs: readonly string[] = []): TmuxPane {
  const bundle = userBundle(fixture);
  const home = tempHome();
  created.push(dirname(bundle), home);
  return server.start([process.execPath, BIN, bundle, ...extraArgs], { env: cliEnv(home), cwd: resolve('.'), width: WIDTH, height: HEIGHT });
}

/**
 * An environment whose `rollback` action runs `script` with node, the rolled-back service
 * as its argument (an argv template with a parameter; nothing goes through a shell).
 */
export function environmentWithRollback(script: string): string {
  const file = join(tempDir('incident-env-'), 'environment.yaml');
  const yaml = [
    'name: tui-e2e',
    'description: Test hands whose rollback runs a harmless local command.',
    'actions:',
    '  - name: rollback',
    '    kind: rollback',
    '    description: Roll back a deployment (a harmless stand-in).',
    `    argv: [${JSON.stringify(process.execPath)}, "-e", ${JSON.stringify(script)}, "{service}"]`,
    '    parameters:',
    '      service: { type: string, pattern: "^[a-z0-9][a-z0-9-]*$", description: "the deployment to roll back" }',
    '      change_id: { type: string, required: false, description: "the change this rollback undoes" }',
    '    timeout: 60s',
    '',
  ].join('\n');
  writeFileSync(file, yaml);
  return file;
}
