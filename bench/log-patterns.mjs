#!/usr/bin/env node
// Throughput and memory of the log template miner on a million synthetic messages.
//
//   node bench/log-patterns.mjs [lines]
//
// Messages come from 50 templates of varied styles with random variables drawn from a
// seeded generator, so every run mines the same input. src/bundle/patterns is bundled with
// esbuild into a temp directory first. Prints one JSON line, then a line for people.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { random } from './_util.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lines = Number(process.argv[2] ?? 1_000_000);


const rand = random(42);
const int = (n) => Math.floor(rand() * n);
const pick = (list) => list[int(list.length)];
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
const ip = () => `10.${int(256)}.${int(256)}.${int(256)}`;
const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
const users = Array.from({ length: 300 }, (_, i) => `user${i}`).concat(['root', 'admin', 'deploy', 'postgres', 'nginx']);
const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
const path = () => `/var/lib/${pick(words)}/${hex(6)}/${pick(words)}.log`;

const TEMPLATES = [
  () => `Received block blk_${int(1e9)} of size ${int(1e8)} from /${ip()}`,
  () => `PacketResponder ${int(3)} for block blk_-${int(1e9)} terminating`,
  () => `Receiving block blk_${int(1e9)} src: /${ip()}:${int(65535)} dest: /${ip()}:50010`,
  () => `Verification succeeded for blk_${int(1e9)}`,
  () => `Deleting block blk_${int(1e9)} file ${path()}`,
  () => `Accepted password for ${pick(users)} from ${ip()} port ${int(65535)} ssh2`,
  () => `Failed password for invalid user ${pick(users)} from ${ip()} port ${int(65535)} ssh2`,
  () => `Connection closed by ${ip()} [preauth]`,
  () => `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip()}`,
  () => `session opened for user ${pick(users)} by (uid=${int(2000)})`,
  () => `GET /api/v1/orders/${int(1e6)} HTTP/1.1 200 ${int(5000)}ms`,
  () => `POST /api/v1/orders HTTP/1.1 201 ${int(900)}ms`,
  () => `request_id=${uuid()} method=GET path=/api/items status=${pick([200, 404, 500])} duration=${int(900)}ms`,
  () => `level=info msg="cache refreshed" entries=${int(1e5)} took=${int(99)}ms`,
  () => `[instance: ${uuid()}] Took ${(rand() * 30).toFixed(2)} seconds to build instance.`,
  () => `[instance: ${uuid()}] VM ${pick(['Started', 'Stopped', 'Paused', 'Resumed'])} (Lifecycle Event)`,
  () => `Running task ${int(100)}.0 in stage ${int(20)}.0 (TID ${int(1e4)})`,
  () => `Finished task ${int(100)}.0 in stage ${int(20)}.0 (TID ${int(1e4)}). ${int(5000)} bytes result sent to driver`,
  () => `Block broadcast_${int(50)} stored as values in memory (estimated size ${(rand() * 900).toFixed(1)} KB, free ${(rand() * 9).toFixed(1)} GB)`,
  () => `task_${int(1e6)}_${int(100)} Task Transitioned from ${pick(['NEW to SCHEDULED', 'SCHEDULED to RUNNING', 'RUNNING to SUCCEEDED'])}`,
  () => `Connection to ${ip()}:${int(65535)} timed out after ${int(30000)} ms`,
  () => `Retrying request to https://payments.internal/${hex(8)} (attempt ${int(5)} of 5)`,
  () => `user ${pick(users)} logged in from ${ip()}`,
  () => `cache miss for key session:${hex(16)}`,
  () => `worker-${int(32)} picked up job ${uuid()} from queue ${pick(['default', 'mail', 'billing'])}`,
  () => `Slow query took ${int(9000)}ms: SELECT * FROM orders WHERE id = ${int(1e6)}`,
  () => `disk usage on /dev/sda${int(4)} at ${int(100)}%`,
  () => `Thermal pressure state: ${int(3)} Memory pressure state: ${int(3)}`,
  () => `onStandStepChanged ${int(10000)}`,
  () => `getTodayTotalDetailSteps = ${int(1e12)}##${int(1e4)}##${int(1e6)}##${int(1e4)}`,
  () => `jk2_init() Found child ${int(1e4)} in scoreboard slot ${int(20)}`,
  () => `workerEnv.init() ok /etc/httpd/conf/workers2.properties`,
  () => `mod_jk child workerEnv in error state ${int(10)}`,
  () => `instruction cache parity error corrected`,
  () => `generating core.${int(1e4)}`,
  () => `CE sym ${int(32)}, at 0x${hex(8)}, mask 0x${hex(2)}`,
  () => `ciod: failed to read message prefix on control stream (CioStream socket to ${ip()}:${int(65535)}`,
  () => `synchronized to ${ip()}, stratum ${int(4)}`,
  () => `Starting TrustedInstaller initialization.`,
  () => `Ending TrustedInstaller initialization.`,
  () => `Read out cached package applicability for package: Package_for_KB${int(1e6)}~31bf3856ad364e35~amd64~~6.1.1.${int(20)}, ApplicableState: ${int(120)}, CurrentState:${int(120)}`,
  () => `${hex(8)}.example.com:${int(65535)} open through proxy proxy.example.com:5070 HTTPS`,
  () => `${hex(8)}.example.com:443 close, ${int(1e4)} bytes sent, ${int(1e5)} bytes (${(rand() * 90).toFixed(1)} KB) received, lifetime 00:${int(60)}`,
  () => `Notification time out: ${int(60000)}`,
  () => `Received connection request /${ip()}:${int(65535)}`,
  () => `Expiring session 0x${hex(14)}, timeout of ${int(40000)}ms exceeded`,
  () => `NIFF: node node-${int(256)} detected a failed network connection on network ${ip()} via interface alt0`,
  () => `Temperature (${int(90)}C) exceeds warning threshold`,
  () => `healthcheck ok in ${int(50)}ms`,
  () => `shutting down: received signal SIGTERM`,
];

const out = mkdtempSync(join(tmpdir(), 'bench-log-patterns-'));
try {
  await build({
    entryPoints: [join(root, 'src/bundle/patterns/index.ts')],
    outfile: join(out, 'patterns.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  const { TemplateMiner } = await import(pathToFileURL(join(out, 'patterns.mjs')).href);

  // Generated in chunks so the input itself never holds a million strings at once.
  const CHUNK = 50_000;
  let peak = process.memoryUsage().rss;
  const miner = new TemplateMiner();
  let mining = 0;
  for (let done = 0; done < lines; done += CHUNK) {
    const batch = Array.from({ length: Math.min(CHUNK, lines - done) }, () => pick(TEMPLATES)());
    const start = performance.now();
    for (const message of batch) miner.add(message);
    mining += performance.now() - start;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const start = performance.now();
  miner.finalize();
  mining += performance.now() - start;
  peak = Math.max(peak, process.memoryUsage().rss);

  const seconds = mining / 1000;
  const result = {
    bench: 'log_patterns',
    lines,
    seconds: Number(seconds.toFixed(3)),
    lines_per_second: Math.round(lines / seconds),
    peak_rss_mb: Math.round(peak / 1024 / 1024),
    templates_found: miner.templates().length,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.stdout.write(
    `log_patterns: ${lines.toLocaleString('en')} lines from ${TEMPLATES.length} templates mined in ${result.seconds}s ` +
      `(${result.lines_per_second.toLocaleString('en')} lines/s), ${result.templates_found} templates, peak RSS ${result.peak_rss_mb} MB\n`,
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
