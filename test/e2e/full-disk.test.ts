// `incident diagnose` when the state folder fills up mid-investigation: one line naming
// the folder and what to do, exit 4, every event saved before intact, and once there is
// room `incident resume` finishes the session. SQLite's page limit (the test-only
// INCIDENT_TEST_MAX_PAGES) fills the database deterministically; a real small file
// system is used too where one can be mounted.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { cliEnv, runCli, tempHome, userBundle } from './cli.js';

function pageCount(home: string): number {
  const db = new DatabaseSync(join(home, 'incident.db'), { readOnly: true });
  try {
    return (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
  } finally {
    db.close();
  }
}

function logOf(home: string, sessionId: string) {
  const store = new Store(home, { readOnly: true });
  try {
    return { problems: store.verify(sessionId), events: store.events.list(sessionId).map((item) => item.event), status: store.sessions.get<{ status: string }>(sessionId)?.status };
  } finally {
    store.close();
  }
}

async function onlySession(home: string): Promise<string> {
  return JSON.parse((await runCli(['sessions', 'list', '--json'], cliEnv(home))).stdout)[0].id as string;
}

interface Disk {
  fullEnv: NodeJS.ProcessEnv;
  roomyEnv: NodeJS.ProcessEnv;
  makeRoom?: () => void;
}

/** Runs out of space mid-investigation, then checks the failure and that resume finishes the session. */
async function runOutThenResume(home: string, bundle: string, disk: Disk): Promise<void> {
  const { fullEnv, roomyEnv } = disk;
  const failed = await runCli(['diagnose', bundle, '--ndjson'], fullEnv);
  expect(failed.code).toBe(4);
  const sessionId = await onlySession(home);
  const lines = failed.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^incident: the state folder .+ is out of space/);
  expect(lines[0]).toContain(home);
  expect(lines[0]).toContain(`incident resume ${sessionId}`);
  const before = logOf(home, sessionId);
  expect(before.problems).toEqual([]);
  // It ran out mid-turn: the investigation had started and had not finished.
  expect(before.events.some((event) => event.type === 'user.message')).toBe(true);
  expect(before.status).toBe('running');

  disk.makeRoom?.();

  const resumed = await runCli(['resume', sessionId, '--ndjson'], roomyEnv);
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  const after = logOf(home, sessionId);
  expect(after.problems).toEqual([]);
  expect(after.events.slice(0, before.events.length).map((event) => event.id)).toEqual(before.events.map((event) => event.id));
  expect(new Set(after.events.map((event) => event.id)).size).toBe(after.events.length);
  expect(after.events.some((event) => event.type === 'agent.tool_use' && event['name'] === 'submit_diagnosis')).toBe(true);
  expect(after.events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
}

describe('diagnose on a full disk', () => {
  it('stops with one line and exit 4, keeps what it saved, and resume finishes once there is room', async () => {
    // How big a whole investigation makes the database, so the limit lands inside it.
    const reference = tempHome();
    expect((await runCli(['diagnose', userBundle('checkout-cache-removed'), '--json'], cliEnv(reference))).code).toBe(0);
    const limit = Math.floor(pageCount(reference) * 0.7);

    const home = tempHome();
    await runOutThenResume(home, userBundle('checkout-cache-removed'), { fullEnv: cliEnv(home, { INCIDENT_TEST_MAX_PAGES: String(limit) }), roomyEnv: cliEnv(home) });
    // The limit landed inside the turn: tools had run before the disk filled.
    expect(logOf(home, await onlySession(home)).events.filter((event) => event.type === 'agent.tool_result').length).toBeGreaterThan(0);
  });

  it('on a real small file system (ENOSPC) behaves the same', async (context) => {
    const bundle = userBundle('checkout-cache-removed');
    // Room for the uploaded bundle and its mounted copy, and a little for the log: it fills mid-turn.
    const kib = readdirSync(bundle, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .reduce((sum, entry) => sum + Math.ceil(statSync(join(entry.parentPath, entry.name)).size / 4096) * 4, 0);
    const mount = mkdtempSync(join(tmpdir(), 'incident-smallfs-'));
    try {
      // Mounting needs root (and a container that allows it); otherwise this variant cannot run here.
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${2 * kib + 200}k`, 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      rmSync(mount, { recursive: true, force: true });
      context.skip('cannot mount a small tmpfs here (needs root); the page-limit variant above covers a full disk');
      return;
    }
    try {
      const home = join(mount, 'state');
      mkdirSync(home);
      await runOutThenResume(home, bundle, {
        fullEnv: cliEnv(home),
        roomyEnv: cliEnv(home),
        makeRoom: () => execFileSync('mount', ['-o', 'remount,size=64m', mount], { stdio: 'ignore' }),
      });
    } finally {
      execFileSync('umount', [mount], { stdio: 'ignore' });
      rmSync(mount, { recursive: true, force: true });
    }
  });
});
