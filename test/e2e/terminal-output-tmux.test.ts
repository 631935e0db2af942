// In a real terminal (tmux): a slow model is shown as a wait, not a frozen screen, and a
// result without a verified cause says inconclusive; `diagnose` fits its lines to the
// terminal, while the same run piped keeps one line per step.
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, runCli, tempHome, userBundle } from './cli.js';
import { startFakeModel, unknownDiagnosisTurn, type FakeModel } from './fake-model.js';
import { overlong, tmuxAvailable, TmuxServer } from './tmux/tmux.js';

const HAS_TMUX = tmuxAvailable();
if (!HAS_TMUX) console.warn('terminal-output-tmux.test.ts skipped: tmux is not installed (apt-get install tmux)');

const statusLine = (screen: string): string => screen.split('\n').find((line) => line.startsWith('● ')) ?? '';

describe.skipIf(!HAS_TMUX)('the terminal while a model is slow, and a diagnosis fitted to the terminal', () => {
  // A tmux server keeps the environment it was started with for every later session: each
  // test has its own, so the model's key of one never reaches the other.
  const servers: TmuxServer[] = [];
  const tmux = (): TmuxServer => {
    const server = new TmuxServer();
    servers.push(server);
    return server;
  };
  const cleanup: string[] = [];
  let model: FakeModel | undefined;
  afterAll(async () => {
    for (const server of servers) server.kill();
    await model?.close();
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  });
  const bundle = (fixture: string): string => {
    const dir = userBundle(fixture);
    cleanup.push(dirname(dir));
    return dir;
  };
  const home = (): string => {
    const dir = tempHome();
    cleanup.push(dir);
    return dir;
  };

  it('shows the wait for the model with a spinner and the time, then the outcome in its one word', async () => {
    const server = tmux();
    // The first answer takes a while; then the model gives up honestly.
    model = await startFakeModel((request) =>
      request === 0 ? { kind: 'turn', content: unknownDiagnosisTurn(), delayMs: 3000 } : { kind: 'turn', content: [{ type: 'text', text: 'I could not establish the cause.' }] },
    );
    const env = cliEnv(home(), { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: model.url });
    const pane = server.start([process.execPath, BIN, bundle('checkout-cache-removed')], { env, cwd: resolve('.'), width: 100, height: 40 });
    try {
      const waiting = await pane.waitFor('the wait for the model', (text) => statusLine(text).startsWith('● waiting for the model'));
      expect(statusLine(waiting)).toMatch(/^● waiting for the model \d[\d.ms]*s [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] · \d/);
      // No token count before the model has used any.
      expect(statusLine(waiting)).not.toContain('tokens');
      const done = await pane.waitFor('the outcome', (text) => statusLine(text).startsWith('● inconclusive'));
      expect(statusLine(done)).toMatch(/^● inconclusive · \d[\d.hms]* · [\d.]+k tokens/);
      pane.keys('C-c');
      expect(await pane.waitForExit()).toBe(130);
    } finally {
      pane.close();
    }
  });

  it('wraps `diagnose` to the terminal with a hanging indent, and leaves piped output one line per step', async () => {
    const server = tmux();
    const env = cliEnv(home());
    const width = 70;
    const dir = bundle('gateway-latency-unexplained');
    const pane = server.start([process.execPath, BIN, 'diagnose', dir], { env, cwd: resolve('.'), width, height: 40 });
    // The same run piped, meanwhile, in a state folder of its own.
    const piping = runCli(['diagnose', dir], cliEnv(home()));
    try {
      expect(await pane.waitForExit(60_000)).toBe(3);
      // Rows the terminal itself wrapped are joined back: what is left is how the lines were written.
      // The terminal may still be drawing the last lines when the exit code is in.
      let screen = '';
      for (let tries = 0; tries < 300 && !screen.includes('turn finished'); tries += 1) {
        screen = pane.capture({ history: true, join: true });
        if (!screen.includes('turn finished')) await new Promise((done) => setTimeout(done, 50));
      }
      expect(screen).toContain('◆ Diagnosis unknown');
      expect(overlong(screen, width)).toEqual([]);
      // A step that goes on continues under its text, past the time and the symbol.
      expect(screen).toMatch(/^\d\d:\d\d:\d\d [✓▸] .*\n {11}\S/m);
    } finally {
      pane.close();
    }
    const piped = await piping;
    expect(piped.code).toBe(3);
    expect(overlong(piped.stdout, width).length).toBeGreaterThan(0);
  });
});
