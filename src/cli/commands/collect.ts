// `incident collect`: an incident bundle from live systems — the alert from Alertmanager
// (or given by hand), metrics from Prometheus, changes from git, logs from files or a
// command — for a window around the page. Prints the bundle's path.
import type { Command } from 'commander';
import { InputError } from '../../errors.js';

export interface CollectFlags {
  out?: string;
  since: string;
  until: string;
  alertmanager?: string;
  alert?: string;
  fingerprint?: string;
  service?: string;
  title?: string;
  severity?: string;
  startedAt?: string;
  prometheus?: string;
  git?: string[];
  gitRef?: string;
  gitService: string[];
  changes?: string[];
  logs: string[];
  timeout: string;
  maxPoints: string;
  maxQueries: string;
  maxSeries: string;
  maxServices: string;
  maxLogBytes: string;
  maxPatchBytes: string;
  maxChanges: string;
}

const repeat = (value: string, previous: string[]): string[] => [...previous, value];

export function registerCollect(program: Command): void {
  program
    .command('collect')
    .description('collect an incident bundle from live systems (Alertmanager, Prometheus, git, logs) and print its path')
    .option('--out <dir>', 'the bundle folder (default: a new incident-<name>-<time> folder here; an unfinished one for the same options is continued)')
    .option('--since <time>', 'start of the window: a time, a duration ago (3h), now-<d>, alert-<d>', '3h')
    .option('--until <time>', 'end of the window: a time, now, now-<d>, alert+<d>', 'now')
    .option('--alertmanager <url>', 'read the alert from this Alertmanager (GET /api/v2/alerts)')
    .option('--alert <name>', 'with --alertmanager: the alertname to read')
    .option('--fingerprint <fp>', 'with --alertmanager: the alert fingerprint to read')
    .option('--service <name>', 'the paged service (without --alertmanager: the page is given by hand)')
    .option('--title <text>', 'without --alertmanager: the title of the page')
    .option('--severity <text>', 'without --alertmanager: its severity (SEV2, P1, critical)')
    .option('--started-at <time>', 'without --alertmanager: when the page started (default: the end of the window)')
    .option('--prometheus <url>', 'collect metrics of the paged service and its neighbours from this Prometheus')
    .option('--git <repo...>', 'collect commits, merges and tags in the window from these repositories')
    .option('--git-ref <ref>', 'the deployed line of history (default HEAD)')
    .option('--git-service <prefix=service>', 'a path prefix (services/cart/) or repository name, and the service its commits change; repeatable', repeat, [] as string[])
    .option('--changes <file...>', 'changes.yaml / changes.json files to merge in (flags, infra: what git does not know)')
    .option('--logs <source>', "a log file, a glob or a command (name=… names it); repeatable: --logs '/var/log/app/*.log' --logs 'kubectl logs deploy/checkout'", repeat, [] as string[])
    .option('--timeout <duration>', 'per request to a source and per command', '30s')
    .option('--max-points <n>', 'points per series (sets the step)', '300')
    .option('--max-queries <n>', 'Prometheus queries in all', '60')
    .option('--max-series <n>', 'series kept per query', '20')
    .option('--max-services <n>', 'services to collect metrics of: the paged one and its neighbours', '6')
    .option('--max-log-bytes <size>', 'bytes per log source (its latest lines are kept)', '16MiB')
    .option('--max-patch-bytes <size>', 'bytes per patch', '256KiB')
    .option('--max-changes <n>', 'changes per repository (the latest are kept)', '200')
    .addHelpText(
      'after',
      [
        '',
        'Progress and every source that fails go to stderr; what failed or was cut is also written',
        "into the bundle's problems.json. Interrupted, the same command continues where it stopped.",
        '',
        'Examples:',
        '  incident collect --alertmanager http://am:9093 --alert CheckoutLatencyHigh --since alert-1h \\',
        '    --prometheus http://prom:9090 --git ~/src/checkout --logs "kubectl logs deploy/checkout"',
        '  incident collect --service checkout --title "checkout p99 high" --prometheus http://prom:9090 --since 2h',
        '  incident diagnose "$(incident collect --service checkout --prometheus http://prom:9090)"',
        '',
        'Exit codes: 0 the bundle is written (problems, if any, are in it), 4 no source gave anything, 2 bad input, 130 interrupted.',
      ].join('\n'),
    )
    .action(async (options: CollectFlags) => {
      if ((options.alert !== undefined || options.fingerprint !== undefined) && options.alertmanager === undefined) {
        throw new InputError(`${options.alert !== undefined ? '--alert' : '--fingerprint'} reads from Alertmanager, and no --alertmanager was given`, {
          hint: 'add --alertmanager <url>, or give the page by hand with --service and --title',
        });
      }
      if (options.alertmanager === undefined && options.service === undefined) {
        throw new InputError('say what was paged', { hint: 'give --alertmanager <url> with --alert <name>, or --service <name> (with --title)' });
      }
      const { planFromFlags, runCollect } = await import('../collect-run.js');
      process.exitCode = await runCollect(await planFromFlags(options));
    });
}
