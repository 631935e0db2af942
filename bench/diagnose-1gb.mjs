// Diagnosis of a bundle holding 1 GB of logs, end to end through the CLI (upload,
// mount, investigation), as a ratio to reading the same bytes once with
// `cat > /dev/null` in the same run; plus the peak RSS of the CLI and its worker.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './_bundle.mjs';
import { report } from './_util.mjs';

const TARGET = Number(process.env.BENCH_LOG_BYTES ?? 1024 ** 3);
const base = join(tmpdir(), 'incident-bench', 'diagnose-1gb');
const bundle = join(base, 'bundle');

/** A fixture plus one large, realistic log spread over the incident's time span. */
async function makeBundle() {
  const marker = join(base, `ready-${TARGET}`);
  if (existsSync(marker)) return;
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  cpSync(join(root, 'fixtures', 'checkout-cache-removed'), bundle, { recursive: true });
  rmSync(join(bundle, 'truth.json'));
  const alert = readFileSync(join(bundle, 'incident.yaml'), 'utf8');
  const startedAt = Date.parse(/started_at:\s*"?([^"\n]+)/.exec(alert)?.[1] ?? '2026-02-10T14:12:00Z');
  const from = startedAt - 3 * 3600_000;
  const span = 3.5 * 3600_000;
  const out = createWriteStream(join(bundle, 'logs', 'edge-proxy.log'));
  const paths = ['/api/items', '/api/cart', '/api/checkout/quote', '/healthz', '/api/search'];
  let written = 0;
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const estimated = TARGET / 130;
  let i = 0;
  while (written < TARGET) {
    let chunk = '';
    for (let j = 0; j < 20_000; j += 1, i += 1) {
      const t = new Date(from + (span * i) / estimated).toISOString();
      const level = rand() < 0.002 ? 'WARN' : 'INFO';
      chunk += `${t} ${level} [edge-proxy] GET ${paths[Math.floor(rand() * paths.length)]}/${Math.floor(rand() * 100000)} status=200 duration=${Math.floor(rand() * 90)}ms\n`;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve) => out.end(resolve));
  createWriteStream(marker).end();
}

function bundleBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? bundleBytes(path) : statSync(path).size;
  }
  return total;
}

function treeRssKb(pid) {
  let total = 0;
  const walk = (p) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      for (const child of children ? children.split(/\s+/) : []) walk(child);
    } catch {
      // the process ended between two reads
    }
  };
  walk(pid);
  return total;
}

await makeBundle();
const bytes = bundleBytes(bundle);
let start = performance.now();
spawnSync('sh', ['-c', `find "${bundle}" -type f -exec cat {} + > /dev/null`]);
const catMs = performance.now() - start;

const home = mkdtempSync(join(tmpdir(), 'incident-bench-home-'));
const env = { ...process.env, INCIDENT_HOME: home, INCIDENT_BRAIN: 'triage', NO_COLOR: '1' };
delete env.ANTHROPIC_API_KEY;
start = performance.now();
const child = spawn(process.execPath, [join(root, 'bin', 'incident.js'), 'diagnose', bundle, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let peakKb = 0;
const sampler = setInterval(() => (peakKb = Math.max(peakKb, treeRssKb(child.pid))), 50);
let stdout = '';
child.stdout.on('data', (chunk) => (stdout += chunk));
let stderr = '';
child.stderr.on('data', (chunk) => (stderr += chunk));
const code = await new Promise((resolve) => child.on('close', resolve));
const diagnoseMs = performance.now() - start;
clearInterval(sampler);
rmSync(home, { recursive: true, force: true });
let category = null;
try {
  category = JSON.parse(stdout).diagnosis?.root_cause?.category ?? null;
} catch {
  process.stdout.write(`the CLI failed (${code}): ${stderr.slice(0, 400)}\n`);
}
const result = {
  bench: 'diagnose_1gb',
  bundle_bytes: bytes,
  cat_ms: Math.round(catMs),
  diagnose_ms: Math.round(diagnoseMs),
  ratio_to_cat: Number((diagnoseMs / catMs).toFixed(2)),
  goal_ratio: 3,
  peak_rss_mb: Math.round(peakKb / 1024),
  exit_code: code,
  category,
};
process.stdout.write(`diagnosis of ${(bytes / 1024 ** 3).toFixed(2)} GB: ${result.diagnose_ms} ms = ${result.ratio_to_cat}× cat (${result.cat_ms} ms); peak RSS ${result.peak_rss_mb} MB; category ${category}\n`);
report(result);
