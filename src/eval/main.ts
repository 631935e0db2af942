// `npm run eval -- [--json] [folder...]`: the offline triage brain over every bundle that
// carries a truth.json (fixtures/, the shared learning set beside the checkout when it is
// there, and each folder given), each bundle investigated as a session of the local
// runtime, scored against its truth, reported per folder. The entry of dist/eval.js.
import { parseArgs } from 'node:util';
import { packageRoot } from '../definitions/index.js';
import { EXIT, InputError, isIncidentError } from '../errors.js';
import { evaluate } from './evaluate.js';
import { bundleSets, defaultFolders } from './folders.js';
import { renderJson, renderText } from './report.js';

const USAGE = 'usage: npm run eval -- [--json] [--only] [folder...]';

function parse(argv: readonly string[]): { json: boolean; only: boolean; help: boolean; folders: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'boolean', default: false },
        only: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    });
    return { json: values.json, only: values.only, help: values.help, folders: positionals };
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error), { hint: USAGE });
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parse(argv);
  if (args.help) {
    process.stdout.write(
      `${USAGE}\n\nRuns the offline triage brain over fixtures/, ../shared/incidents beside the checkout when present,\n` +
        'and each folder given (a folder of bundles, or one bundle), every bundle with a truth.json; one report per folder.\n' +
        '  --json  the report as JSON, for scripts\n' +
        '  --only  only the folders given\n',
    );
    return EXIT.ok;
  }
  if (args.only && args.folders.length === 0) throw new InputError('--only needs the folders to evaluate', { hint: USAGE });
  const sets = bundleSets(args.only ? [] : defaultFolders(packageRoot()), args.folders);
  if (sets.length === 0) throw new InputError('no bundles with a truth.json to evaluate', { hint: USAGE });
  const results = await evaluate(sets, {
    // Progress goes to stderr on a terminal only: stdout stays the report (or the JSON).
    ...(process.stderr.isTTY ? { onBundle: (bundle: string, done: number, total: number) => void process.stderr.write(`\r${done}/${total} ${bundle.split(/[\\/]/).pop() ?? ''}\u001b[K`) } : {}),
  });
  if (process.stderr.isTTY) process.stderr.write('\r\u001b[K');
  process.stdout.write(args.json ? renderJson(results) : renderText(results));
  return EXIT.ok;
}

// Stopped from the keyboard or by a signal, the run exits through 'exit', which removes its state home.
process.once('SIGINT', () => process.exit(EXIT.cancelled));
process.once('SIGTERM', () => process.exit(143));

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isIncidentError(error)) {
      process.stderr.write(`eval: ${error.oneLine()}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`eval: internal error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.bug;
  },
);
