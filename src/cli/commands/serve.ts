// `incident serve`: the local runtime on an HTTP port, so a team can share one runtime
// and any SDK client (baseURL) can drive it.
import type { Command } from 'commander';
import { InputError } from '../../errors.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InputError(`--port ${value} is not a port`, { hint: 'give a number from 0 to 65535 (0 picks a free one)' });
  }
  return port;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the local runtime over HTTP (the Managed Agents API subset) for SDK clients')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4646')
    .option('--environment <file>', 'an environment definition to serve; repeat for more (default: the shipped environments/*.yaml)', (file: string, files: string[] | undefined) => [...(files ?? []), file])
    .option('--allow-host <name...>', 'another name clients reach this server by (a DNS name), besides its address')
    .option('--alertmanager', "take Alertmanager's webhook at POST /v1/alertmanager: a firing alert an environment's intake route takes is collected and investigated in a session")
    .addHelpText(
      'after',
      '\nEvery request needs the runtime key: INCIDENT_RUNTIME_KEY, else the key generated into the state folder (runtime.key).' +
        '\nExample:\n  incident serve --port 4646\n  incident diagnose ./bundle --runtime http://127.0.0.1:4646' +
        '\n  incident serve --alertmanager --environment environments/ops.yaml   (webhook: http://<host>:4646/v1/alertmanager, with the key as its bearer credentials)',
    )
    .action(async (options: { host: string; port: string; environment?: string[]; allowHost?: string[]; alertmanager?: boolean }) => {
      const port = parsePort(options.port);
      const { loadOperatorEnvironments, openLocalRuntime } = await import('../local-runtime.js');
      const { serveFetch } = await import('../../runtime/node-server.js');
      const { guardHandler } = await import('../../runtime/http-guard.js');
      const { exposureWarning, serveKey } = await import('../serve-access.js');
      const { stateHome } = await import('../../store/index.js');
      // The key first: it also makes the state folder private before anything is stored in it.
      const access = serveKey(process.env, stateHome(process.env));
      // Only what the operator loads here can run: clients select these by hash, never send their own.
      const served = await loadOperatorEnvironments(options.environment ?? []);
      const intakeSetup = options.alertmanager ? await import('../intake/serve-intake.js') : null;
      const targets = intakeSetup?.checkIntake(served) ?? [];
      const { runtime, brain, home } = openLocalRuntime({ env: process.env, resumeAll: true, environments: served.map((loaded) => loaded.definition) });
      // Hands on workers: each such definition's self-hosted environment, and the key its workers poll with.
      let workers;
      try {
        workers = runtime.provisionWorkerEnvironments();
      } catch (error) {
        await runtime.close();
        const reason = error instanceof Error ? error.message : String(error);
        throw new InputError(`cannot keep the environment keys of its workers in ${home}: ${reason}`, {
          hint: 'make the state folder yours and private (chmod 700), or delete a key file that others can read (a new one is issued)',
        });
      }
      const intake = intakeSetup ? await intakeSetup.startIntake({ runtime, targets, home, env: process.env, log: (line) => process.stderr.write(`intake: ${line}\n`) }) : null;
      let server;
      try {
        const handler = intake ? intake.handler(runtime.handle) : runtime.handle;
        const guarded = guardHandler(handler, {
          key: access.key,
          bindHost: options.host,
          allowHosts: options.allowHost ?? [],
          // Workers' environment keys and sessions tokens, each reaching only what it serves.
          principal: (credential) => runtime.access.principal(credential),
        });
        server = await serveFetch(guarded, { host: options.host, port });
      } catch (error) {
        await intake?.close();
        await runtime.close();
        const code = (error as NodeJS.ErrnoException).code;
        throw new InputError(`cannot listen on ${options.host}:${port}${code ? ` (${code})` : ''}`, {
          hint: code === 'EADDRINUSE' ? 'pick another --port, or 0 for a free one' : 'check --host and --port',
        });
      }
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      process.stdout.write(`incident runtime listening on http://${options.host}:${bound} (brain: ${brain}, state: ${home})\n`);
      for (const { hash, definition } of runtime.definitions.list()) {
        const file = served.find((loaded) => loaded.definition === definition)?.file ?? '';
        process.stdout.write(`serving environment ${definition.name} (hash ${hash}) from ${file}\n`);
      }
      if (served.length === 0) process.stdout.write('serving no environment definitions: sessions get the SRE tools only (add one with --environment <file>)\n');
      for (const provisioned of workers) {
        const definition = runtime.definitions.list().find(({ hash }) => hash === provisioned.hash)?.definition;
        const file = served.find((loaded) => loaded.definition === definition)?.file ?? '<file>';
        process.stdout.write(
          `environment ${provisioned.name} (${provisioned.environmentId}) runs its hands on workers; their key is in ${provisioned.keyPath}: incident worker --runtime http://${options.host}:${bound} --environment ${file}\n`,
        );
      }
      process.stdout.write(`runtime key: ${access.where}\n`);
      if (intake) process.stdout.write(`${intake.describe(`http://${options.host}:${bound}`)}\n`);
      const warning = exposureWarning(options.host, bound);
      if (warning) process.stderr.write(`${warning}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.close();
          server.closeAllConnections();
          // Stops the collections of the intake, then the sessions' turns and their environment workers, before the process ends.
          void (intake?.close() ?? Promise.resolve())
            .then(() => runtime.close())
            .catch((error: unknown) => process.stderr.write(`incident: stopping the runtime failed: ${error instanceof Error ? error.message : String(error)}\n`))
            .finally(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
