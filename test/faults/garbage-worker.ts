// A hands worker that writes garbage to stdout, where it speaks MCP: the real worker behind
// a wrapper that prints junk before its first frame and among its frames. Junk on lines of
// its own (text, binary, JSON that is no JSON-RPC, answers to requests nobody made, a frame
// sent twice) must change nothing: the investigation is the same, call for call, as with a
// clean worker. Junk glued to a frame destroys that frame: the call it answered becomes a
// tool error at its timeout and the investigation goes on to its end. Either way the log
// is whole, nothing appears twice, and nothing hangs.
import { removedWhenFileEnds } from '../temp-dirs.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { RUNTIME_TOOL_NAMES } from '../../src/protocol/tools.js';
import { scratchDir } from '../fuzz/seed.js';
import { cleanReference, investigate, WORKER, type Investigated } from './investigation.js';

export type GarbageMode = 'lines' | 'glued';

/**
 * The wrapper, as a script of its own (the host runs `node <script>` with no arguments):
 * a seeded generator, so the same seed writes the same junk in the same places.
 */
function wrapper(mode: GarbageMode, seed: number): string {
  const script = `
import { spawn } from 'node:child_process';
const MODE = ${JSON.stringify(mode)};
let state = ${seed >>> 0 || 1};
const random = () => { state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0; return state / 2 ** 32; };
const pick = (list) => list[Math.floor(random() * list.length)];
let previous = '';
const junk = () => pick([
  'Starting worker...',
  'DEBUG loaded 12 tools',
  Buffer.from([0xff, 0xfe, 0x00, 0x9f, 0x80]).toString('latin1'),
  '{"hello": "world"}',
  '[1, 2, 3]',
  '{"jsonrpc": "2.0"}',
  '{"jsonrpc": "2.0", "id": 987654, "result": {"content": []}}',
  '{"jsonrpc": "2.0", "method": "notifications/unknown", "params": {}}',
  'x'.repeat(200000),
  previous.trimEnd(),
]);
const child = spawn(process.execPath, [${JSON.stringify(WORKER)}], { stdio: ['inherit', 'pipe', 'inherit'] });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.stdout.setEncoding('utf8');
process.stdout.write(junk() + '\\n');
let pending = '';
child.stdout.on('data', (chunk) => {
  pending += chunk;
  for (let end = pending.indexOf('\\n'); end >= 0; end = pending.indexOf('\\n')) {
    const frame = pending.slice(0, end + 1);
    pending = pending.slice(end + 1);
    if (MODE === 'lines' && random() < 0.6) process.stdout.write(junk() + '\\n');
    if (MODE === 'glued' && random() < 0.25) process.stdout.write(pick(['garbage', '}{', 'ok ']));
    process.stdout.write(frame);
    if (MODE === 'lines' && random() < 0.1) process.stdout.write(frame);
    previous = frame;
  }
});
`;
  const file = join(removedWhenFileEnds(mkdtempSync(join(scratchDir(), 'incident-garbage-worker-'))), 'worker.mjs');
  writeFileSync(file, script);
  return file;
}

function expectWhole(run: Investigated): void {
  expect(run.chain).toEqual([]);
  const ids = run.events.map((item) => item.event.id);
  expect(new Set(ids).size).toBe(ids.length);
  // Every call has exactly one result, and the turn ended.
  const uses = run.events.filter((item) => item.event.type === 'agent.tool_use').map((item) => item.event.id);
  const results = run.events.filter((item) => item.event.type === 'agent.tool_result').map((item) => String((item.event as Record<string, unknown>)['tool_use_id']));
  expect([...results].sort()).toEqual([...uses].sort());
  expect(run.events.at(-1)?.event).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
}

/** The hands' answer to each call (the runtime's own tools, whose answers depend on the session, left out). */
function answersByCall(run: Investigated): Map<string, string> {
  const answers = new Map<string, string>();
  run.transcript.forEach((line, index) => {
    const next = run.transcript[index + 1];
    const name = /^use (\S+)/.exec(line)?.[1];
    if (name && !(RUNTIME_TOOL_NAMES as readonly string[]).includes(name) && next?.startsWith('result')) answers.set(line, next);
  });
  return answers;
}

/** Declares the garbage-worker tests: `seeds` seeds per mode, each one investigation. */
export function garbageWorker(seeds: readonly number[]): void {
  const cleanRun = async (): Promise<Investigated> => (await cleanReference()).run;

  it(`junk on lines of its own changes nothing of the investigation (${seeds.length} seeded workers)`, async () => {
    const reference = await cleanRun();
    expectWhole(reference);
    expect(reference.transcript.some((line) => line.startsWith('use submit_diagnosis'))).toBe(true);
    for (const seed of seeds) {
      const run = await investigate(wrapper('lines', seed));
      expectWhole(run);
      expect(run.transcript, `seed ${seed}`).toEqual(reference.transcript);
    }
  });

  it(`junk glued to frames turns the calls it broke into tool errors at their timeout, and the investigation ends (${seeds.length} seeded workers)`, async () => {
    const reference = await cleanRun();
    let broken = 0;
    for (const seed of seeds) {
      const run = await investigate(wrapper('glued', seed), { callTimeout: '1s' });
      expectWhole(run);
      const errors = run.transcript.filter((line) => line.startsWith('result (error)') && line.includes('environment worker'));
      broken += errors.length;
      // Broken at start (the handshake's answer) or on a call (the call's answer): each says which, and what became of the worker.
      for (const error of errors) expect(error).toMatch(/the environment worker did not answer within 1s of starting and was stopped|did not finish within 1s; the environment worker was stopped/);
      // A call the hands answered got the answer the clean worker gave to the same call.
      const expected = answersByCall(reference);
      for (const [call, answer] of answersByCall(run)) {
        if (!answer.startsWith('result (error)') && expected.has(call)) expect(answer, call).toBe(expected.get(call));
      }
    }
    console.info(`garbage worker: ${seeds.length} seeded workers gluing junk to frames, ${broken} calls broken, every investigation ended`);
    // The seeds must break some calls, or this proves nothing.
    expect(broken).toBeGreaterThan(0);
  });
}
