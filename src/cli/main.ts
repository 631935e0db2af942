// The commander program. Each command lives in cli/commands/<name>.ts and registers
// itself; heavy modules (Ink, React, the SDK, the runtime) load inside actions only,
// so `--version` and `--help` stay fast.
import { Command, CommanderError } from 'commander';
import { EXIT, isIncidentError } from '../errors.js';
import { colorEnabled, guardOutput, isClosedOutputError, outputClosed, processIO } from './io.js';
import { registerCommands } from './commands/index.js';
import { applyConfiguredRuntime } from './options.js';
import { VERSION } from './version.js';

export async function main(argv: readonly string[]): Promise<number> {
  const io = processIO();
  guardOutput();
  const program = new Command('incident')
    .description('An SRE agent for the on-call engineer: investigate an incident bundle, stream every step, end with a diagnosis and a remediation plan.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showSuggestionAfterError(true)
    .enablePositionalOptions()
    .hook('preAction', async (_program, command) => {
      // Before anything makes a schema (the start-up graph makes none): how schemas parse.
      await import('../protocol/schema-mode.js');
      // A --runtime the command line left out comes from INCIDENT_RUNTIME or the config file.
      await applyConfiguredRuntime(command, io.env);
    });
  registerCommands(program);
  try {
    await program.parseAsync([...argv]);
    // The reader stopped reading (`| head`): what it took was all it wanted.
    if (outputClosed().aborted) return EXIT.ok;
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (outputClosed().aborted && isClosedOutputError(error)) return EXIT.ok;
    return reportFailure(error, colorEnabled({ ...io, stdout: io.stderr }));
  }
}

/** The one place a failure becomes a line on stderr and an exit code. */
function reportFailure(error: unknown, color: boolean): number {
  if (error instanceof CommanderError) {
    // commander already printed its own one-line message (or the help/version text).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
      return EXIT.ok;
    }
    return EXIT.badInput;
  }
  if (isIncidentError(error)) {
    const prefix = color ? '\u001b[31mincident:\u001b[39m' : 'incident:';
    process.stderr.write(`${prefix} ${error.oneLine()}\n`);
    return error.exitCode;
  }
  process.stderr.write(`incident: internal error (a bug; please report it with the lines below)\n`);
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.bug;
}
