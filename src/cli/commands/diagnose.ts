// `incident diagnose <bundle>`: the scripted investigation for scripts and CI.
import type { Command } from 'commander';
import { InputError } from '../../errors.js';

interface DiagnoseOptions {
  json?: boolean;
  ndjson?: boolean;
  agent?: string;
  environment?: string;
  runtime: string;
  approve?: string[];
  timeout?: string;
  message?: string;
}

export function parseTimeout(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new InputError(`--timeout ${value} is not a duration`, { hint: 'e.g. --timeout 90s, 10m or 600 (seconds)' });
  const unit = match[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Number(match[1]) * factor;
}

export function registerDiagnose(program: Command): void {
  program
    .command('diagnose')
    .description('investigate a bundle without a person: stream every step, print the diagnosis, exit with its outcome')
    .argument('<bundle...>', 'the bundle directory (or a list of its files)')
    .option('--json', 'print only the result as JSON: session id, diagnosis, usage')
    .option('--ndjson', 'print every event as one JSON line as it happens')
    .option('--agent <file>', 'agent definition (default: the shipped agents/sre.yaml)')
    .option('--environment <file>', 'environment definition (default: the shipped environments/local.yaml)')
    .option('--runtime <local|url>', 'where the session runs: local (embedded) or the URL of an `incident serve`', 'local')
    .option('--approve <policy...>', 'remediation actions to approve: never (default), all, or action names')
    .option('--timeout <duration>', 'give up after this long (e.g. 10m); the session is interrupted')
    .option('--message <text>', 'what to ask the agent (default: investigate the incident)')
    .addHelpText(
      'after',
      '\nExamples:\n  incident diagnose fixtures/checkout-cache-removed\n  incident diagnose ./bundle --json > result.json\n  incident diagnose ./bundle --ndjson --approve rollback\n\nExit codes: 0 diagnosed, 3 inconclusive, 4 runtime failure, 5 timed out, 2 bad input.',
    )
    .action(async (bundle: string[], options: DiagnoseOptions) => {
      if (options.json && options.ndjson) throw new InputError('--json and --ndjson cannot go together', { hint: 'pick one' });
      const timeoutMs = parseTimeout(options.timeout);
      const { runDiagnose } = await import('../diagnose-run.js');
      process.exitCode = await runDiagnose({
        bundle,
        mode: options.json ? 'json' : options.ndjson ? 'ndjson' : process.stdout.isTTY ? 'human' : 'plain',
        runtime: options.runtime,
        approve: options.approve,
        timeoutMs,
        ...(options.agent ? { agentFile: options.agent } : {}),
        ...(options.environment ? { environmentFile: options.environment } : {}),
        ...(options.message ? { message: options.message } : {}),
      });
    });
}
