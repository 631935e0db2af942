// `incident tools run log_patterns|search_logs --file <log>`: a log file anywhere on disk is a
// valid input on its own, and only that file is read (not the folder it sits in).
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome } from './cli.js';

describe('tools run on a log file given alone', () => {
  // A folder like /var/log: the log, and a neighbour that must stay unread.
  const folder = mkdtempSync(join(tmpdir(), 'incident-varlog-'));
  const log = join(folder, 'app.out');
  copyFileSync(resolve('fixtures/checkout-cache-removed/logs/checkout.log'), log);
  writeFileSync(join(folder, 'neighbour.log'), '2026-02-10T14:00:00Z ERROR secret-neighbour-line\n');
  // The child's temporary files, to see it leaves none behind.
  const scratch = mkdtempSync(join(tmpdir(), 'incident-tmp-'));
  const env = cliEnv(tempHome(), { TMPDIR: scratch });

  it('log_patterns mines the file, without --bundle', async () => {
    const result = await runCli(['tools', 'run', 'log_patterns', '--file', log, '--json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const mined = JSON.parse(result.stdout) as { events: number; templates: Array<{ example: string }> };
    expect(mined.events).toBeGreaterThan(1000);
    expect(mined.templates.every((template) => template.example.startsWith('logs/app.out:'))).toBe(true);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('search_logs searches that file and nothing beside it', async () => {
    const found = await runCli(['tools', 'run', 'search_logs', '--file', log, '--arg', 'pattern=Quote pricing took', '--json'], env);
    expect(found.code).toBe(0);
    const result = JSON.parse(found.stdout) as { total_matches: number; files: Array<{ file: string }> };
    expect(result.total_matches).toBeGreaterThan(0);
    expect(result.files.map((file) => file.file)).toEqual(['logs/app.out']);

    const neighbour = await runCli(['tools', 'run', 'search_logs', '--file', log, '--arg', 'pattern=secret-neighbour-line', '--json'], env);
    expect(neighbour.code).toBe(0);
    expect(JSON.parse(neighbour.stdout)).toMatchObject({ total_matches: 0 });
    expect(neighbour.stdout).not.toContain('neighbour.log');
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('says what to do for a missing file, or a tool that needs a bundle', async () => {
    const missing = await runCli(['tools', 'run', 'log_patterns', '--file', join(folder, 'nope.log')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^incident: --file .*nope\.log does not exist/);
    const other = await runCli(['tools', 'run', 'list_changes', '--file', log], env);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('list_changes needs --bundle <dir>');
  });
});

describe('tools run log_patterns --assign', () => {
  // A Hadoop-style log: thread names, class names, attempt ids and long counters in every line.
  const folder = mkdtempSync(join(tmpdir(), 'incident-assign-'));
  const log = join(folder, 'mapreduce.log');
  const EVENTS = 2000;
  const kinds = [
    (i: number) => `INFO [AsyncDispatcher event handler] org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl: attempt_1445144423722_0020_m_${String(i).padStart(6, '0')}_0 TaskAttempt Transitioned from NEW to UNASSIGNED`,
    (i: number) => `INFO [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: Before Scheduling: PendingReds:1 ScheduledMaps:${i % 10} AssignedMaps:${i % 7} CompletedMaps:${i % 5} ContainersAllocated:${i % 11} HostLocal:${i % 4} RackLocal:0`,
    (i: number) => `WARN [LeaseRenewer:msrabi@msra-sa-41:9000] org.apache.hadoop.hdfs.LeaseRenewer: Failed to renew lease for [DFSClient_NONMAPREDUCE_1537864556_1] for ${i % 300} seconds.  Will retry shortly ...`,
    (i: number) => `INFO [IPC Server handler ${i % 30} on 62270] org.apache.hadoop.mapred.TaskAttemptListenerImpl: Progress of TaskAttempt attempt_1445144423722_0020_m_${String(i % 13).padStart(6, '0')}_0 is : 0.${(i * 37) % 1000}`,
  ];
  writeFileSync(
    log,
    Array.from({ length: EVENTS }, (_, i) => `${new Date(Date.parse('2015-10-18T18:01:47Z') + i * 250).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',')} ${kinds[i % kinds.length]?.(i)}`).join('\n') + '\n',
  );
  const env = cliEnv(tempHome());

  it('streams every event as one JSON line with its template, to the end of the log', async () => {
    const result = await runCli(['tools', 'run', 'log_patterns', '--file', log, '--assign', '--json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(EVENTS);
    const events = lines.map((line) => JSON.parse(line) as { ref: string; template: number; template_text: string; message: string });
    expect(events.map((event) => event.ref)).toEqual(Array.from({ length: EVENTS }, (_, i) => `logs/mapreduce.log:${i + 1}`));
    expect(events.every((event) => typeof event.template === 'number' && event.template_text.length > 0)).toBe(true);
    expect(events[1]?.template_text).toContain('Before Scheduling');
  });

  it('starts at --arg offset and stops after --arg limit events', async () => {
    const result = await runCli(['tools', 'run', 'log_patterns', '--file', log, '--assign', '--arg', 'offset=1990', '--arg', 'limit=5'], env);
    expect(result.code).toBe(0);
    const refs = result.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { ref: string }).ref);
    expect(refs).toEqual(['logs/mapreduce.log:1991', 'logs/mapreduce.log:1992', 'logs/mapreduce.log:1993', 'logs/mapreduce.log:1994', 'logs/mapreduce.log:1995']);
  });
});
