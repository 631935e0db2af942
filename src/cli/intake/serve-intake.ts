// The alert intake as `incident serve --alertmanager` wires it: the routes of the served
// environments, an SDK client on the runtime's own fetch (sessions open exactly as
// `diagnose` opens them, with no socket in between), and the webhook handler in front of
// the runtime's.
import type { EnvironmentDefinition } from '../../definitions/index.js';
import { InputError } from '../../errors.js';
import type { LocalRuntime } from '../../runtime/runtime.js';
import type { FetchHandler } from '../../runtime/node-server.js';
import { makeClient } from '../../client/sdk.js';
import { AlertIntake } from './alert-intake.js';
import { INTAKE_PATH, withAlertIntake } from './handler.js';
import { intakeTargets, type IntakeTarget } from './routes.js';

export function checkIntake(served: ReadonlyArray<{ file: string; definition: EnvironmentDefinition }>): IntakeTarget[] {
  const targets = intakeTargets(served);
  if (targets.length === 0) {
    throw new InputError('--alertmanager needs an environment with an intake section, and none of the served ones has one', {
      hint: 'add intake: routes: (matchers and where to collect from) to an environment file and serve it with --environment <file>; see environments/prometheus-mcp.yaml',
    });
  }
  return targets;
}

export interface ServedIntake {
  handler(next: FetchHandler): FetchHandler;
  describe(origin: string): string;
  close(): Promise<void>;
}

export async function startIntake(options: {
  runtime: LocalRuntime;
  targets: readonly IntakeTarget[];
  home: string;
  env: NodeJS.ProcessEnv;
  log(line: string): void;
}): Promise<ServedIntake> {
  const client = await makeClient({ fetch: options.runtime.fetch });
  const intake = new AlertIntake({ client, targets: options.targets, home: options.home, env: options.env, log: options.log });
  return {
    handler: (next) => withAlertIntake(next, intake),
    describe: (origin) =>
      `alert intake: POST ${origin}${INTAKE_PATH} (Alertmanager webhook, the runtime key as bearer credentials); routes: ${options.targets.map((target) => target.label).join(', ')}`,
    close: () => intake.close(),
  };
}
