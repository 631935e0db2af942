// `incident resume [session-id]`: the logged history, then live where the session stands.
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { parseMaxCost, parseMaxTurns, parseTimeout, runtimeOption } from '../options.js';

interface ResumeOptions {
  runtime: string;
  json?: boolean;
  ndjson?: boolean;
  approve?: string[];
  timeout?: string;
  environment?: string;
  maxCost?: string;
  maxTurns?: string;
}

export function registerResume(program: Command): void {
  program
    .command('resume')
    .description('bring a session back: its whole history, then live (running, waiting for approval, or idle for a follow-up); an investigation stopped before its diagnosis (Ctrl-C, --timeout) goes on')
    .argument('[session-id]', 'the session (without it, on a terminal: pick from recent sessions)')
    .addOption(runtimeOption('the runtime: local (embedded), cloud (Claude Managed Agents) or the URL of an `incident serve`'))
    .option('--json', 'off a terminal: the result as JSON once the session rests')
    .option('--ndjson', 'off a terminal: every event as one JSON line')
    .option('--approve <policy...>', "answer approvals by this policy (never, all, or action names) instead of the run's recorded one")
    .option('--timeout <duration>', "give up after this long (e.g. 10m) instead of the run's recorded limit")
    .option('--environment <file>', 'when the session runs its hands on this client: the environment file it was opened with (default: the one recorded with it)')
    .option('--max-cost <usd>', "from now on, stop once the model's list cost reaches this many US dollars (a session started with --max-cost)")
    .option('--max-turns <n>', 'from now on, stop once the session has made this many model requests in all')
    .addHelpText(
      'after',
      "\nA session `incident diagnose` started is answered by that run's --approve and --timeout, recorded with it.\n\nExamples:\n  incident resume\n  incident resume sesn_01abc…\n  incident resume sesn_01abc… --ndjson | jq .type\n  incident resume sesn_01abc… --approve rollback\n  incident resume sesn_01abc… --max-turns 40\n\nExit codes as for diagnose: 6 when the session's budget stops it.",
    )
    .action(async (sessionId: string | undefined, options: ResumeOptions) => {
      if (options.json && options.ndjson) throw new InputError('--json and --ndjson cannot go together', { hint: 'pick one' });
      const timeoutMs = options.timeout === undefined ? undefined : ((await parseTimeout(options.timeout)) ?? undefined);
      const maxCostUsd = parseMaxCost(options.maxCost);
      const maxTurns = parseMaxTurns(options.maxTurns);
      const budget = maxCostUsd !== null || maxTurns !== null ? { budget: { maxCostUsd, maxTurns } } : {};
      const scripted = options.json || options.ndjson || options.approve !== undefined || timeoutMs !== undefined;
      const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true && !scripted;
      if (terminal) {
        const { runInteractive } = await import('../tui-run.js');
        process.exitCode = await runInteractive({
          runtime: options.runtime,
          ...(sessionId ? { sessionId } : {}),
          ...(options.environment ? { environmentFile: options.environment } : {}),
          ...budget,
        });
        return;
      }
      if (!sessionId) throw new InputError('resume needs a session id when it is not on a terminal', { hint: 'see `incident sessions list`' });
      const { resumeScripted } = await import('../resume-run.js');
      process.exitCode = await resumeScripted({
        runtime: options.runtime,
        sessionId,
        mode: options.json ? 'json' : options.ndjson ? 'ndjson' : 'plain',
        ...(options.approve !== undefined ? { approve: options.approve } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(options.environment ? { environmentFile: options.environment } : {}),
        ...budget,
      });
    });
}
