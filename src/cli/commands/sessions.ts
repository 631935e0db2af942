// `incident sessions list|show|export|delete`: the sessions a runtime keeps.
import { Option, type Command } from 'commander';
import { InputError } from '../../errors.js';
import { runtimeOption } from '../options.js';

interface RuntimeOption {
  runtime: string;
}

const runtime = (): Option => runtimeOption('the runtime: local (embedded), cloud (Claude Managed Agents) or the URL of an `incident serve`');

export function registerSessions(program: Command): void {
  const sessions = program.command('sessions').description('list, show, export or delete sessions');

  sessions
    .command('list')
    .description('recent sessions, newest first')
    .addOption(runtime())
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'as JSON')
    .addHelpText('after', '\nExample:\n  incident sessions list --limit 5')
    .action(async (options: RuntimeOption & { limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new InputError(`--limit ${options.limit} is not a positive number`, { hint: 'e.g. --limit 10' });
      const { listSessions } = await import('../sessions-run.js');
      await listSessions(options.runtime, limit, options.json === true);
    });

  sessions
    .command('show')
    .description("a session's logged history, checked end to end")
    .argument('<session-id>')
    .addOption(runtime())
    .option('--json', 'the result as JSON (diagnosis, usage, outcome)')
    .option('--ndjson', 'every event as one JSON line')
    .addHelpText('after', '\nExample:\n  incident sessions show sesn_01abc…')
    .action(async (id: string, options: RuntimeOption & { json?: boolean; ndjson?: boolean }) => {
      const { showSession } = await import('../sessions-run.js');
      process.exitCode = await showSession(options.runtime, id, options.json ? 'json' : options.ndjson ? 'ndjson' : process.stdout.isTTY ? 'human' : 'plain');
    });

  sessions
    .command('export')
    .description('export a session as NDJSON events or a Markdown incident report')
    .argument('<session-id>')
    .addOption(runtime())
    .addOption(new Option('--format <format>', 'what to write').choices(['ndjson', 'markdown']).default('markdown'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addHelpText('after', '\nExamples:\n  incident sessions export sesn_01abc… --format markdown -o INC-42.md\n  incident sessions export sesn_01abc… --format ndjson > events.ndjson')
    .action(async (id: string, options: RuntimeOption & { format: 'ndjson' | 'markdown'; output?: string }) => {
      const { exportSession } = await import('../sessions-run.js');
      await exportSession(options.runtime, id, options.format, options.output);
    });

  sessions
    .command('delete')
    .description('delete a session, its history and its mounted files')
    .argument('<session-id...>')
    .addOption(runtime())
    .addHelpText('after', '\nExample:\n  incident sessions delete sesn_01abc…')
    .action(async (ids: string[], options: RuntimeOption) => {
      const { deleteSessions } = await import('../sessions-run.js');
      await deleteSessions(options.runtime, ids);
    });
}
