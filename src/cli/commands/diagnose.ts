// `incident diagnose <bundle>`: the scripted investigation for scripts and CI.
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { parseMaxCost, parseMaxTurns, parseTimeout, runtimeOption } from '../options.js';

interface DiagnoseOptions {
  json?: boolean;
  ndjson?: boolean;
  agent?: string;
  environment?: string;
  runtime: string;
  approve?: string[];
  timeout?: string;
  message?: string;
  service?: string;
  title?: string;
  maxCost?: string;
  maxTurns?: string;
}

/** The environment's action names, for checking `--approve` before anything runs. */
async function checkApproveAgainstEnvironment(approve: readonly string[] | undefined, environmentFile: string | undefined): Promise<void> {
  const { checkApprove, parseApprove } = await import('../approvals.js');
  const policy = parseApprove(approve);
  if (policy.kind !== 'some') return;
  const { defaultEnvironmentPath, loadEnvironmentDefinition } = await import('../../definitions/index.js');
  const environment = await loadEnvironmentDefinition(environmentFile ?? defaultEnvironmentPath());
  checkApprove(
    policy,
    environment.actions.map((action) => action.name),
    environmentFile ?? 'the shipped environment (environments/local.yaml)',
  );
}

export function registerDiagnose(program: Command): void {
  program
    .command('diagnose')
    .description('investigate a bundle (or the live sources of an environment) without a person: stream every step, print the diagnosis, exit with its outcome')
    .argument('[bundle...]', "the bundle directory (or a list of its files); none: the environment's live sources")
    .option('--json', 'print only the result as JSON: session id, diagnosis, usage')
    .option('--ndjson', 'print every event as one JSON line as it happens')
    .option('--agent <file>', 'agent definition (default: the shipped agents/sre.yaml)')
    .option('--environment <file>', 'environment definition (default: the shipped environments/local.yaml)')
    .addOption(runtimeOption('where the session runs: local (embedded), cloud (Claude Managed Agents) or the URL of an `incident serve`'))
    .option('--approve <policy...>', 'remediation actions to approve: never (default), all, or action names')
    .option('--timeout <duration>', 'give up after this long (e.g. 90s, 10m, 1h30m; 1s to 24h); the session is interrupted')
    .option('--message <text>', 'what to ask the agent (default: investigate the incident)')
    .option('--service <name>', 'with no bundle: the paged service (default: the sources\' service, else their Alertmanager\'s alert)')
    .option('--title <text>', 'with no bundle: the page\'s title (default: "<service> incident")')
    .option('--max-cost <usd>', "stop once the model's list cost reaches this many US dollars; the last request allowed submits the diagnosis")
    .option('--max-turns <n>', 'stop after this many model requests; the last one allowed submits the diagnosis')
    .addHelpText(
      'after',
      '\nExamples:\n  incident diagnose fixtures/checkout-cache-removed\n  incident diagnose ./bundle --json > result.json\n  incident diagnose ./bundle --ndjson --approve rollback\n  incident diagnose ./bundle --max-cost 2 --max-turns 30\n  incident diagnose --environment live.yaml --service checkout   (live sources, no bundle)\n\nExit codes: 0 diagnosed, 3 inconclusive, 4 runtime failure, 5 timed out, 6 budget spent, 2 bad input.',
    )
    .action(async (bundle: string[], options: DiagnoseOptions) => {
      if (options.json && options.ndjson) throw new InputError('--json and --ndjson cannot go together', { hint: 'pick one' });
      const timeoutMs = await parseTimeout(options.timeout);
      const maxCostUsd = parseMaxCost(options.maxCost);
      const maxTurns = parseMaxTurns(options.maxTurns);
      await checkApproveAgainstEnvironment(options.approve, options.environment);
      if (bundle.length > 0 && (options.service !== undefined || options.title !== undefined)) {
        throw new InputError('--service and --title are for a diagnosis with no bundle (the bundle has its own page)', { hint: 'drop them, or drop the bundle to read the environment\'s live sources' });
      }
      const { runDiagnose } = await import('../diagnose-run.js');
      // No bundle: the live sources are the data, and the session's one file is the page.
      const page = bundle.length > 0 ? null : await (await import('../live-page.js')).livePageFolder(options.environment, options);
      try {
        process.exitCode = await runDiagnose({
          bundle: page === null ? bundle : [page.dir],
          mode: options.json ? 'json' : options.ndjson ? 'ndjson' : process.stdout.isTTY ? 'human' : 'plain',
          runtime: options.runtime,
          approve: options.approve,
          timeoutMs,
          budget: { maxCostUsd, maxTurns },
          ...(options.agent ? { agentFile: options.agent } : {}),
          ...(options.environment ? { environmentFile: options.environment } : {}),
          ...(options.message ? { message: options.message } : {}),
        });
      } finally {
        await page?.remove();
      }
    });
}
