// `incident worker`: serve a self-hosted environment's work queue with this machine's hands.
import type { Command } from 'commander';
import { runtimeOption } from '../options.js';

interface WorkerOptions {
  runtime: string;
  environment: string;
  bundle?: string;
  id?: string;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description("answer a self-hosted environment's sessions with this machine's hands (tools, actions, credentials)")
    .addOption(runtimeOption('the runtime whose self-hosted environment this worker serves: cloud (Claude Managed Agents) or the URL of an `incident serve`'))
    .requiredOption('--environment <file>', 'the environment definition (hands: worker) its operator serves')
    .option('--bundle <dir>', "read this bundle folder for every session (default: each session's own mounted files, fetched from the runtime)")
    .option('--id <worker-id>', 'how this worker names itself to the runtime (default: host name and a random id)')
    .addHelpText(
      'after',
      '\nThe environment key is INCIDENT_ENVIRONMENT_KEY, else (for a served runtime) the key `incident serve` wrote for this definition into the state folder.' +
        '\nWith --runtime cloud the worker polls Claude Managed Agents at the SDK\'s address (ANTHROPIC_BASE_URL moves it) with INCIDENT_ENVIRONMENT_KEY only.' +
        '\nCredentials the actions declare are read from this machine\'s environment and never leave it. Stop with Ctrl+C.' +
        '\nExample:\n  incident serve --environment ops.yaml            (on the runtime\'s machine)\n  incident worker --runtime http://10.0.0.5:4646 --environment ops.yaml\n  INCIDENT_ENVIRONMENT_KEY=… incident worker --runtime cloud --environment ops.yaml',
    )
    .action(async (options: WorkerOptions) => {
      const { runWorker } = await import('../worker-run.js');
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await runWorker({
          runtime: options.runtime,
          environmentFile: options.environment,
          ...(options.bundle ? { bundle: options.bundle } : {}),
          ...(options.id ? { workerId: options.id } : {}),
          env: process.env,
          log: (line) => void process.stderr.write(`${line}\n`),
          signal: controller.signal,
        });
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}
