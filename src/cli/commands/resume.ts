// `incident resume [session-id]`: the logged history, then live where the session stands.
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { runtimeOption } from '../options.js';

export function registerResume(program: Command): void {
  program
    .command('resume')
    .description('bring a session back: its whole history, then live (running, waiting for approval, or idle for a follow-up)')
    .argument('[session-id]', 'the session (without it, on a terminal: pick from recent sessions)')
    .addOption(runtimeOption('the runtime: local (embedded) or the URL of an `incident serve`'))
    .option('--json', 'off a terminal: the result as JSON once the session rests')
    .option('--ndjson', 'off a terminal: every event as one JSON line')
    .addHelpText('after', '\nExamples:\n  incident resume\n  incident resume sesn_01abc…\n  incident resume sesn_01abc… --ndjson | jq .type')
    .action(async (sessionId: string | undefined, options: { runtime: string; json?: boolean; ndjson?: boolean }) => {
      if (options.json && options.ndjson) throw new InputError('--json and --ndjson cannot go together', { hint: 'pick one' });
      const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true && !options.json && !options.ndjson;
      if (terminal) {
        const { runInteractive } = await import('../tui-run.js');
        process.exitCode = await runInteractive({ runtime: options.runtime, ...(sessionId ? { sessionId } : {}) });
        return;
      }
      if (!sessionId) throw new InputError('resume needs a session id when it is not on a terminal', { hint: 'see `incident sessions list`' });
      const { resumeScripted } = await import('../resume-run.js');
      process.exitCode = await resumeScripted(options.runtime, sessionId, options.json ? 'json' : options.ndjson ? 'ndjson' : 'plain');
    });
}
