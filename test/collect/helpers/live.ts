// Real Prometheus and Alertmanager for the live tests, each on a free port of 127.0.0.1
// with a folder of its own, stopped (and their folders removed) by the test.
//
// Both come from Debian (`prometheus`, `prometheus-alertmanager`). A test that needs them
// fails in CI when they are missing (CI installs them: .ci/run), and skips elsewhere with a
// message saying what to install.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMETHEUS_BIN = process.env['INCIDENT_TEST_PROMETHEUS'] ?? '/usr/bin/prometheus';
export const ALERTMANAGER_BIN = process.env['INCIDENT_TEST_ALERTMANAGER'] ?? '/usr/bin/prometheus-alertmanager';

function runs(binary: string): boolean {
  const probe = spawnSync(binary, ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return probe.error === undefined && probe.status === 0;
}

/** The vitest config passes the real CI flag through (the test environment itself sets CI=false for Ink). */
export function inCi(): boolean {
  const value = process.env['INCIDENT_TEST_CI'] ?? '';
  return value !== '' && value !== '0' && value !== 'false';
}

/**
 * Whether the live tests can run here. In CI a missing binary is a failure of the setup,
 * not a reason to skip: this throws, and the test file fails.
 */
export function liveComponents(needs: { alertmanager?: boolean } = {}): { ok: true } | { ok: false; why: string } {
  const missing = [PROMETHEUS_BIN, ...(needs.alertmanager ? [ALERTMANAGER_BIN] : [])].filter((binary) => !runs(binary));
  if (missing.length === 0) return { ok: true };
  const why = `${missing.join(' and ')} not found: install Debian's prometheus and prometheus-alertmanager (apt-get install prometheus prometheus-alertmanager)`;
  if (inCi()) throw new Error(`the live tests cannot run in CI: ${why}`);
  return { ok: false, why };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (child.exitCode !== null) throw new Error(`${url} exited before it was ready:\n${log()}`);
    const ok = await fetch(url).then((response) => response.ok).catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} was not ready in time:\n${log()}`);
}

export interface Running {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

function startProcess(binary: string, args: string[], readyUrl: string, dir: string, port: number): Promise<Running> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return waitReady(readyUrl, child, () => output).then(
    () => ({ url: `http://127.0.0.1:${port}`, port, dir, stop }),
    async (error: unknown) => {
      await stop();
      throw error;
    },
  );
}

export interface PrometheusSetup {
  /** Scrape jobs: name → `host:port` and the metrics path. */
  jobs: Array<{ name: string; target: string; path: string }>;
  rules?: string;
  alertmanager?: string;
  /** Default 1s; the replaying exporter is scraped faster, so its history arrives in seconds. */
  scrapeInterval?: string;
}

export async function startPrometheus(setup: PrometheusSetup): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'incident-prom-'));
  const port = await freePort();
  const config = [
    'global:',
    `  scrape_interval: ${setup.scrapeInterval ?? '1s'}`,
    `  scrape_timeout: ${setup.scrapeInterval ?? '1s'}`,
    '  evaluation_interval: 1s',
    ...(setup.rules ? ['rule_files: [rules.yml]'] : []),
    ...(setup.alertmanager ? ['alerting:', '  alertmanagers:', `    - static_configs: [{targets: ['${setup.alertmanager}']}]`] : []),
    'scrape_configs:',
    ...setup.jobs.flatMap((job) => [`  - job_name: ${job.name}`, `    metrics_path: ${job.path}`, `    static_configs: [{targets: ['${job.target}']}]`]),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  if (setup.rules) writeFileSync(join(dir, 'rules.yml'), setup.rules);
  return startProcess(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      // Resolved alerts reach Alertmanager within a second, not a minute.
      '--rules.alert.resend-delay=1s',
    ],
    `http://127.0.0.1:${port}/-/ready`,
    dir,
    port,
  );
}

export async function startAlertmanager(config: (port: number) => string): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'incident-am-'));
  const port = await freePort();
  writeFileSync(join(dir, 'alertmanager.yml'), config(port));
  return startProcess(
    ALERTMANAGER_BIN,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // One instance: no cluster to join, no gossip to wait for.
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    `http://127.0.0.1:${port}/-/ready`,
    dir,
    port,
  );
}

/** Polls `check` every 100 ms until it gives a value (bounded); the live components run on their own clocks. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined>, attempts = 300): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check().catch(() => null);
    if (value !== null && value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
