// The keys that end things, in a real terminal (tmux) over the local runtime: Esc while an
// approval waits interrupts the turn; Ctrl+C quits with 130 and, below the torn-down
// interface, prints the command that brings the session back.
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, busyBundle, cliEnv, runCli, tempHome, userBundle } from './cli.js';
import { TmuxServer, tmuxSuiteRuns } from './tmux/tmux.js';

const HAS_TMUX = tmuxSuiteRuns('Esc and Ctrl+C in a real terminal');

/** The prompt of an action waiting for a person: offered for approval, or (no credential here) only for a denial. */
const prompted = (screen: string): boolean => screen.includes('Approve this action?') || screen.includes('This action cannot run');
const statusLine = (screen: string): string | undefined => screen.split('\n').find((line) => line.startsWith('● '));

describe.skipIf(!HAS_TMUX)('Esc and Ctrl+C in a real terminal', () => {
  const server = HAS_TMUX ? new TmuxServer() : null;
  const home = tempHome();
  const bundle = userBundle('checkout-cache-removed');
  afterAll(() => {
    server?.kill();
    rmSync(home, { recursive: true, force: true });
    rmSync(dirname(bundle), { recursive: true, force: true });
  });

  it('Esc denies the waiting approval and ends the turn; Ctrl+C exits 130 with a pasteable resume line', async () => {
    if (!server) throw new Error('no tmux');
    const env = cliEnv(home);
    const pane = server.start([process.execPath, BIN, bundle], { env, cwd: resolve('.'), width: 100, height: 40 });
    try {
      const asking = await pane.waitFor('the approval prompt', prompted);
      expect(asking).toMatch(/· Esc interrupt/);
      const sessionId = /^(sesn_\w+) · local/m.exec(asking)?.[1];
      if (!sessionId) throw new Error(`no session id on screen:\n${asking}`);

      pane.keys('Escape');
      // The action is denied as interrupted, the turn ends, and the status says so.
      const interrupted = await pane.waitFor(
        'the turn to end interrupted',
        (text) => statusLine(text)?.startsWith('● interrupted') === true && text.includes('ask a follow-up'),
      );
      expect(interrupted).not.toContain('nothing to interrupt');
      expect(prompted(interrupted)).toBe(false);
      const history = pane.capture({ history: true });
      expect(history).toMatch(/^✗ action_rollback .*\n {2}.*not run: interrupted by the user/m);
      expect(history).toMatch(/^· interrupted/m);

      pane.keys('C-c');
      expect(await pane.waitForExit()).toBe(130);
      // Printed after the interface was torn down: its last line (tmux adds a note of its own).
      const lines = pane.capture().split('\n').filter((line) => line.trim() !== '' && !line.startsWith('Pane is dead'));
      expect(lines.at(-1)).toBe(`Resume it with: incident resume ${sessionId}`);

      // The line works: the session is there, its turn ended by the interrupt, nothing waiting.
      const resumed = await runCli(['resume', sessionId, '--ndjson'], env);
      expect(resumed.code).toBe(0);
      const events = resumed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; deny_message?: string; stop_reason?: { type: string } });
      expect(events).toContainEqual(expect.objectContaining({ type: 'user.tool_confirmation', deny_message: 'interrupted by the user' }));
      expect(events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
    } finally {
      pane.close();
    }
  });

  it('Ctrl+C mid-turn leaves the session interrupted, not running, and resuming it in the interface goes on to the diagnosis', async () => {
    if (!server) throw new Error('no tmux');
    const env = cliEnv(home);
    const busy = busyBundle();
    const pane = server.start([process.execPath, BIN, busy], { env, cwd: resolve('.'), width: 100, height: 40 });
    let sessionId: string | undefined;
    try {
      // Quit while a tool is still running: the proxy's log keeps the investigation busy.
      const working = await pane.waitFor('a tool running', (text) => statusLine(text)?.startsWith('● running') === true && /^sesn_\w+ · local/m.test(text));
      sessionId = /^(sesn_\w+) · local/m.exec(working)?.[1];
      pane.keys('C-c');
      expect(await pane.waitForExit()).toBe(130);
    } finally {
      pane.close();
    }
    if (!sessionId) throw new Error('no session id on screen');
    const listed = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string; status: string; outcome: string }>;
    expect(listed.find((s) => s.id === sessionId)).toMatchObject({ status: 'idle', outcome: 'interrupted' });

    const again = server.start([process.execPath, BIN, 'resume', sessionId], { env, cwd: resolve('.'), width: 100, height: 40 });
    try {
      await again.waitFor('the investigation to go on to its approval prompt', prompted, { timeoutMs: 30_000 });
      again.keys('C-c');
      expect(await again.waitForExit()).toBe(130);
    } finally {
      again.close();
      rmSync(dirname(busy), { recursive: true, force: true });
    }
  });
});
