// `incident [bundle]`: the interactive terminal. With a bundle it opens an
// investigation; without one, a start screen of recent sessions to resume.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { parseMaxCost, parseMaxTurns, runtimeOption } from '../options.js';

export function registerOpen(program: Command): void {
  program
    .argument('[bundle...]', 'an incident bundle directory to investigate (or a list of its files)')
    .option('--agent <file>', 'agent definition (default: the shipped agents/sre.yaml)')
    .option('--environment <file>', 'environment definition (default: the shipped environments/local.yaml)')
    .addOption(runtimeOption('where sessions run: local (embedded), cloud (Claude Managed Agents) or the URL of an `incident serve`'))
    .option('--max-cost <usd>', "each session opened here stops once the model's list cost reaches this many US dollars")
    .option('--max-turns <n>', 'each session opened or resumed here stops after this many model requests in all')
    .addHelpText(
      'after',
      '\nExamples:\n  incident fixtures/checkout-cache-removed     investigate in the terminal UI\n  incident                                      recent sessions to resume\n  incident diagnose ./bundle --json             the same investigation, for scripts',
    )
    .action(async (bundle: string[], options: { agent?: string; environment?: string; runtime: string; maxCost?: string; maxTurns?: string }) => {
      // A word that is no path is most likely a command guessed at (`incident investigate x`):
      // say so, rather than open (or refuse to open) a terminal on a bundle named after it.
      const first = bundle[0];
      if (first !== undefined && /^[a-z][a-z-]*$/.test(first) && !existsSync(first)) {
        throw new InputError(`${first} is neither a command nor a path`, {
          hint: 'run `incident --help` for the commands; to investigate a bundle, run `incident <bundle>` or `incident diagnose <bundle>`',
        });
      }
      const maxCostUsd = parseMaxCost(options.maxCost);
      const maxTurns = parseMaxTurns(options.maxTurns);
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new InputError('the terminal UI needs an interactive terminal', {
          hint: bundle.length > 0 ? `use \`incident diagnose ${bundle.join(' ')}\` in scripts and pipes` : 'use `incident diagnose <bundle>` in scripts, or `incident --help`',
        });
      }
      const { runInteractive } = await import('../tui-run.js');
      process.exitCode = await runInteractive({
        runtime: options.runtime,
        bundle,
        ...(options.agent ? { agentFile: options.agent } : {}),
        ...(options.environment ? { environmentFile: options.environment } : {}),
        ...(maxCostUsd !== null || maxTurns !== null ? { budget: { maxCostUsd, maxTurns } } : {}),
      });
    });
}
