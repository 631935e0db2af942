// Time per frame of the TUI's session screen with 100 and with 5,000 events of history.
// Settled history goes to <Static> and is never rendered again, so a frame should cost
// the same however long the session is. Bundles src/ui with a small harness (esbuild,
// into a temp dir), runs it on a fake 100x40 TTY, and prints one JSON line:
//   {"bench":"tui_frame", "history":{"100":{...},"5000":{...}}, "ratio_median":...}
// A frame is measured from the moment a live event is handed to the stream to the moment
// the terminal receives the output that shows it.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const HISTORIES = [100, 5000];
const FRAMES = 60;
// The first frames of a fresh process pay for JIT warm-up, not for the history.
const WARMUP_FRAMES = 10;
// Ink renders at most 30 frames a second; spacing frames wider than that measures the
// render, not the throttle.
const FRAME_GAP_MS = 40;

const harness = `
import { EventEmitter } from 'node:events';
import { runTui } from './src/ui/index.js';

class Stdout extends EventEmitter {
  isTTY = true; columns = 100; rows = 40; chunks = []; waiters = [];
  write(chunk) {
    const text = String(chunk);
    const at = performance.now();
    this.chunks.push(text);
    this.waiters = this.waiters.filter((waiter) => (text.includes(waiter.text) ? (waiter.resolve(at), false) : true));
    return true;
  }
  /** Resolves with the time the text was written (now, if it already was). */
  when(text) {
    return new Promise((resolve) => {
      if (this.chunks.some((chunk) => chunk.includes(text))) resolve(performance.now());
      else this.waiters.push({ text, resolve });
    });
  }
}
class Stdin extends EventEmitter {
  isTTY = true; data = null;
  write(data) { this.data = data; this.emit('readable'); }
  read() { const data = this.data; this.data = null; return data; }
  setEncoding() {} setRawMode() {} resume() {} pause() {} ref() {} unref() {}
}

function history(count) {
  const events = [];
  let n = 0;
  let clock = Date.parse('2026-11-20T14:00:00Z');
  const base = () => ({ id: 'sevt_' + String(++n).padStart(6, '0'), processed_at: new Date((clock += 700)).toISOString() });
  const text = (value) => [{ type: 'text', text: value }];
  events.push({ ...base(), type: 'user.message', content: text('Investigate the checkout latency page.') });
  events.push({ ...base(), type: 'session.status_running' });
  const tools = ['query_metrics', 'search_logs', 'get_diff', 'log_patterns', 'list_changes', 'read_file'];
  let step = 0;
  while (events.length < count - 2) {
    step += 1;
    const name = tools[step % tools.length];
    const use = { ...base(), type: 'agent.tool_use', name, input: { selector: 'checkout_latency_p99', query: 'timeout ' + step, service: 'checkout', window: '14:00..14:30' }, evaluated_permission: 'allow' };
    events.push(use);
    events.push({ ...base(), type: 'agent.tool_result', tool_use_id: use.id, content: text(JSON.stringify({ summary: name + ' step ' + step + ': 12 matches, p99 up 20x at 14:03', rows: [1, 2, 3] })), is_error: false });
    if (step % 5 === 0) events.push({ ...base(), type: 'agent.message', content: text('Step ' + step + ': the **deploy** \`deploy-4821\` still lines up.\\n- p99 up\\n- errors flat') });
    if (step % 7 === 0) events.push({ ...base(), type: 'span.model_request_end', is_error: false, model_request_start_id: 'x', model_usage: { input_tokens: 1200, output_tokens: 200, cache_read_input_tokens: 9000, cache_creation_input_tokens: 0 } });
    if (step % 11 === 0) {
      const id = 'H' + (step % 4);
      const note = { ...base(), type: 'agent.tool_use', name: 'note_hypothesis', input: { id, statement: 'hypothesis ' + id, status: step % 2 ? 'proposed' : 'refuted', evidence: [] }, evaluated_permission: 'allow' };
      events.push(note, { ...base(), type: 'agent.tool_result', tool_use_id: note.id, content: text('{"summary":"recorded"}'), is_error: false });
    }
  }
  events.push({ ...base(), type: 'agent.message', content: text('history ends here') });
  events.push({ ...base(), type: 'session.status_idle', stop_reason: { type: 'end_turn' }, stop_details: null });
  return { events, next: base };
}

function fakeSession(events) {
  const queue = [];
  let wake = null;
  return {
    info: { id: 'sesn_bench', title: 'checkout p99 latency', service: 'checkout', severity: 'SEV2', runtime: 'local', createdAt: '2026-11-20T14:00:00Z', model: 'claude-opus-4-8' },
    async *events(signal) {
      for (const event of events) yield event;
      while (!signal.aborted) {
        const item = queue.shift();
        if (item) { item.handedAt = performance.now(); yield item.event; continue; }
        await new Promise((resolve) => { wake = resolve; signal.addEventListener('abort', resolve, { once: true }); });
      }
    },
    push(item) { queue.push(item); wake?.(); wake = null; },
    async send() {}, async confirm() {}, async interrupt() {},
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (values, q) => { const sorted = [...values].sort((a, b) => a - b); return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]; };
const round = (value) => Math.round(value * 1000) / 1000;

export async function measure(count, frames, warmup, gapMs) {
  const { events, next } = history(count);
  const session = fakeSession(events);
  const stdout = new Stdout();
  const stdin = new Stdin();
  const loadStart = performance.now();
  const done = runTui({ session, stdout, stdin, color: true });
  const loaded = await stdout.when('history ends here');
  const times = [];
  for (let i = 0; i < warmup + frames; i += 1) {
    await sleep(gapMs);
    const marker = 'live frame ' + i + ' marker';
    const item = { event: { ...next(), type: 'agent.message', content: [{ type: 'text', text: marker }] }, handedAt: 0 };
    session.push(item);
    const shown = await stdout.when(marker);
    if (i >= warmup) times.push(shown - item.handedAt);
  }
  stdin.write('\\u0003');
  await done;
  return { events: events.length, load_ms: round(loaded - loadStart), frames, median_ms: round(quantile(times, 0.5)), p95_ms: round(quantile(times, 0.95)), max_ms: round(Math.max(...times)) };
}
`;

const dir = mkdtempSync(join(tmpdir(), 'incident-tui-bench-'));
try {
  const harnessFile = join(dir, 'harness.mjs');
  await build({
    stdin: { contents: harness, resolveDir: root, loader: 'tsx', sourcefile: 'tui-bench-harness.tsx' },
    outfile: harnessFile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    jsx: 'automatic',
    // React and Ink are bundled too: the temp dir has no node_modules to resolve from.
    // Ink loads its devtools only under DEV=true; an empty stand-in keeps the bundle whole.
    plugins: [
      {
        name: 'no-devtools',
        setup(context) {
          context.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
          context.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };' }));
        },
      },
    ],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  // Ink prints only the last frame under CI; the bench measures an interactive terminal.
  const env = { ...process.env, FORCE_COLOR: '1' };
  delete env.CI;
  const results = {};
  for (const count of HISTORIES) {
    // A fresh process per history size, so one run's heap does not tax the other.
    const output = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const { measure } = await import(${JSON.stringify(harnessFile)}); process.stdout.write(JSON.stringify(await measure(${count}, ${FRAMES}, ${WARMUP_FRAMES}, ${FRAME_GAP_MS})));`],
      { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    results[count] = JSON.parse(output.slice(output.indexOf('{')));
  }
  const small = results[HISTORIES[0]];
  const large = results[HISTORIES[1]];
  process.stdout.write(
    `${JSON.stringify({
      bench: 'tui_frame',
      frames: FRAMES,
      warmup_frames: WARMUP_FRAMES,
      history: results,
      ratio_median: Math.round((large.median_ms / small.median_ms) * 100) / 100,
      ratio_p95: Math.round((large.p95_ms / small.p95_ms) * 100) / 100,
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
