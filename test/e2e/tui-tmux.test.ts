// The terminal UI end to end in a real pseudo-terminal: `incident <bundle>` runs in a tmux
// pane over the local runtime and the offline brain; the test types keys with
// `tmux send-keys` and reads the screen with `tmux capture-pane`.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environmentWithRollback, HEIGHT, launch, removeTempDirs, tempDir, WIDTH } from './tmux/incident-tui.js';
import { count, overlong, TmuxServer, tmuxSuiteRuns, type TmuxPane } from './tmux/tmux.js';

const FIXTURE = 'checkout-cache-removed';
const incident = parse(readFileSync(resolve('fixtures', FIXTURE, 'incident.yaml'), 'utf8')) as { title: string; service: string; severity: string };
const truth = JSON.parse(readFileSync(resolve('fixtures', FIXTURE, 'truth.json'), 'utf8')) as { category: string; change_id: string };

const HAS_TMUX = tmuxSuiteRuns('the terminal UI in tmux');

const APPROVAL = 'Approve this action?';
const INPUT_LINE = 'ask a follow-up';

/** The live header's status line, e.g. `● diagnosed · 1.2s`. */
const statusLine = (screen: string): string | undefined => screen.split('\n').find((line) => line.startsWith('● '));

/** A status line with its elapsed time and no token count (the offline engine uses none), e.g. `● diagnosed · 1m05s`. */
const status = (state: string): RegExp => new RegExp(`^● ${state} · \\d[\\d.hms]*$`);

/** The prompt of an action the environment cannot run (the shipped rollback without its kubeconfig). */
const CANNOT_RUN = 'This action cannot run';

/** The session waits for the next question: diagnosed, no prompt, the input line back. */
const idle = (screen: string): boolean =>
  status('diagnosed').test(statusLine(screen) ?? '') && !screen.includes(APPROVAL) && screen.includes(INPUT_LINE);

/** The pid an action wrote to `file`, once it is there. */
function pidIn(file: string): number | null {
  const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return /^\d+$/.test(text) ? Number(text) : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

describe.skipIf(!HAS_TMUX)('the terminal UI in tmux', () => {
  const server = HAS_TMUX ? new TmuxServer() : null;
  const panes: TmuxPane[] = [];
  const open = (extraArgs: readonly string[] = []): TmuxPane => {
    if (!server) throw new Error('no tmux');
    const pane = launch(server, FIXTURE, extraArgs);
    panes.push(pane);
    return pane;
  };

  afterEach(() => {
    for (const pane of panes.splice(0)) pane.close();
  });
  afterAll(() => {
    server?.kill();
    removeTempDirs();
  });

  it('streams the investigation, shows the diagnosis card, takes a denial and quits with 130 on Ctrl+C', async () => {
    const pane = open();
    const screen = await pane.waitFor('the approval prompt', (text) => text.includes(CANNOT_RUN));

    // The header: title, service and severity, then status, then session id and runtime.
    expect(screen).toContain(`${incident.title} · ${incident.service} · ${incident.severity}`);
    expect(screen).toMatch(/^sesn_\w+ · local/m);
    expect(statusLine(screen)).toMatch(status('waiting for approval'));
    expect(screen).toMatch(/^│ action_rollback .*service=checkout/m);
    // Before anyone answers: the exact command, where it runs, and why it cannot run here.
    expect(screen).toMatch(/^│ runs {3}kubectl rollout undo deployment\/checkout --namespace production +│$/m);
    expect(screen).toMatch(/^│ where {2}local worker · environment local · timeout 2m00s +│$/m);
    expect(screen).toMatch(/^│ ✗ cannot run: the credential kubeconfig is not set where the runtime runs/m);
    expect(screen).toContain('INCIDENT_KUBECONFIG)');
    // Not offered for approval: y does nothing but say so.
    expect(screen).not.toContain('Approve this action?');
    expect(screen).toMatch(/^│ n deny · d details/m);
    pane.keys('y');
    await pane.waitFor('y to be refused', (text) => text.includes('y is not offered: this action cannot run here'));
    expect(pane.capture()).toContain(CANNOT_RUN);

    const history = pane.capture({ history: true });
    // Tool cards streamed into the scrollback, each settled with its done marker.
    expect(history).toMatch(/^✓ describe_bundle/m);
    expect(history).toMatch(/^✓ list_changes/m);
    expect(history).toMatch(/^✓ get_diff deploy-\d+/m);
    // The diagnosis card: category, culprit change, confidence bar.
    expect(history).toMatch(new RegExp(`^│ ◆ Diagnosis ${truth.category}\\s`, 'm'));
    expect(history).toContain(`change ${truth.change_id}`);
    expect(history).toMatch(/^│ confidence [█░]{10} \d{1,3}%/m);

    pane.keys('n');
    // The denied card, then what the agent made of it, and the turn over.
    const deniedCard = /^✗ action_rollback .*\n {2}.*not run: Denied by the operator in the terminal\.\n {2}\S/m;
    const denied = await pane.waitFor('the denial to settle and the session to go idle', (text) => deniedCard.test(text) && idle(text), { history: true });
    // One question, one answer: a denied action is not asked about again.
    expect(count(denied, /^\S action_rollback /m)).toBe(1);

    pane.keys('C-c');
    expect(await pane.waitForExit()).toBe(130);
  });

  it('approves with y: the environment runs the action and its output shows; then re-renders on resize without duplicates', async () => {
    const environment = environmentWithRollback("console.log('rolled back ' + process.argv[1])");
    const pane = open(['--environment', environment]);
    const asking = await pane.waitFor('the approval prompt', (text) => text.includes(APPROVAL));
    // The command with the service filled in, on the local worker of this environment.
    expect(asking).toMatch(/^│ runs {3}\S*node -e 'console\.log\(/m);
    expect(asking).toMatch(/^│ where {2}local worker · environment tui-e2e · timeout 1m00s/m);
    expect(asking).toMatch(/^│ y approve once · n deny · d details/m);
    pane.keys('y');
    // The card: the result, then what the command printed, with the parameter filled in
    // from the approved input; then what the agent made of it, and the turn over.
    const ranCard = /^✓ action_rollback .*service=checkout\n {2}\S+ · rollback succeeded \(exit code 0\).*\n {2}│ rolled back checkout\n {2}\S/m;
    await pane.waitFor('the action to run and the session to go idle', (text) => ranCard.test(text) && idle(text), { history: true });

    for (const width of [60, WIDTH]) {
      pane.resize(width, HEIGHT);
      expect(pane.size().width).toBe(width);
      const divider = new RegExp(`^─{${width}}$`, 'm');
      // The diagnosis card spans the width it was printed at.
      const cardTop = new RegExp(`^╭─{${width - 2}}╮$`, 'm');
      // The whole scrollback, with rows the terminal wrapped joined back into their lines.
      const history = await pane.waitFor(
        `the history and the frame redrawn ${width} columns wide`,
        (text) => divider.test(text) && cardTop.test(text) && count(text, /^● /m) === 1,
        { history: true, join: true },
      );
      expect(overlong(history, width)).toEqual([]);
      // Everything once: nothing left behind by the old width.
      expect(count(history, '◆ Diagnosis')).toBe(1);
      expect(count(history, /^✓ list_changes/m)).toBe(1);
      expect(count(history, /^✓ action_rollback/m)).toBe(1);
      expect(count(history, /^ {2}│ rolled back checkout$/m)).toBe(1);
      expect(count(history, /^─{20,}$/m)).toBe(1);
      expect(count(history, /^sesn_\w+ · local/m)).toBe(1);
      expect(pane.capture()).toContain(INPUT_LINE);
    }

    pane.keys('C-c');
    expect(await pane.waitForExit()).toBe(130);
  });

  it('interrupts a running session with Esc: the action is cancelled and the session goes idle', async () => {
    // The action says where it runs, then waits far longer than the test does.
    const pidFile = join(tempDir('incident-action-'), 'action.pid');
    const script = `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); console.log('rolling back ' + process.argv[1]); setInterval(() => {}, 1000);`;
    const pane = open(['--environment', environmentWithRollback(script)]);
    await pane.waitFor('the approval prompt', (text) => text.includes(APPROVAL));
    pane.keys('y');
    // Its card spins in the live area and shows what it has printed so far.
    const running = await pane.waitFor(
      'the action to run and print',
      (text) => statusLine(text)?.startsWith('● running') === true && text.includes('rolling back checkout'),
    );
    expect(running).toMatch(/^\S action_rollback .*service=checkout\n {2}│ rolling back checkout$/m);
    const pid = pidIn(pidFile);
    if (pid === null) throw new Error(`the action printed but wrote no pid to ${pidFile}`);
    expect(isAlive(pid)).toBe(true);

    pane.keys('Escape');
    const stopped = await pane.waitFor(
      'the interrupt to land and the session to go idle',
      (text) => /^· interrupted/m.test(text) && text.includes(INPUT_LINE) && !statusLine(text)?.startsWith('● running'),
      { history: true },
    );
    expect(stopped).toMatch(/^✗ action_rollback .*\n {2}.*cancelled/m);
    // Idle again, saying it was interrupted, the elapsed time still counted.
    expect(statusLine(pane.capture())).toMatch(status('interrupted'));
    await waitUntil('the action process to be killed', () => !isAlive(pid));

    pane.keys('C-c');
    expect(await pane.waitForExit()).toBe(130);
  });
});
