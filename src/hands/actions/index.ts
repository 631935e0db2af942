// A declared remediation action as a tool (`action_<name>`). The worker never decides
// whether an action may run: the host calls it only after a person allowed it. Here the
// input is validated, the argv filled in, the declared credentials put in the process
// environment, and the outcome reported (or, for a dry run, the exact argv it would run).
import { ACTION_TOOL_PREFIX } from '../../protocol/tools.js';
import type { ServedTool } from '../served-tool.js';
import type { ToolResult } from '../tool.js';
import { credentialEnvName, type ActionConfig } from '../worker-config.js';
import { renderArgv } from './argv.js';
import { parametersSchema, validateParameters } from './parameters.js';
import { runProcess, type RunOutcome } from './run.js';

export interface ActionDeps {
  /** The environment every action starts from: the worker's own, without any credential. */
  baseEnv: Readonly<Record<string, string>>;
  /** Declared credential values by name (absent when the host did not have them). */
  credentials: ReadonlyMap<string, string>;
  /** Where each credential is read from on the host, to say what to set when it is missing. */
  credentialSources: ReadonlyMap<string, string>;
  maxOutputChars: number;
}

export function actionToolName(action: ActionConfig): string {
  return `${ACTION_TOOL_PREFIX}${action.name}`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

function describeAction(action: ActionConfig): string {
  const credentials = action.credentials.length === 0 ? '' : ` It receives the credentials ${action.credentials.join(', ')}.`;
  return (
    `${action.description} Remediation action (${action.kind}); a person must approve each call. ` +
    `Runs: ${action.argv.join(' ')} (timeout ${seconds(action.timeoutMs)}).${credentials} ` +
    'Returns JSON with the exit code and the output.'
  );
}

function json(value: object, isError: boolean): ToolResult {
  return { text: JSON.stringify(value), isError };
}

function outcomeSummary(action: ActionConfig, outcome: RunOutcome): { summary: string; failed: boolean } {
  const took = seconds(outcome.durationMs);
  if (outcome.spawnError !== null) return { summary: `${action.name} could not start: ${outcome.spawnError}`, failed: true };
  if (outcome.timedOut) {
    return { summary: `${action.name} timed out after ${seconds(action.timeoutMs)}; its process group was killed`, failed: true };
  }
  if (outcome.cancelled) return { summary: `${action.name} was cancelled after ${took}; its process group was killed`, failed: true };
  if (outcome.exitCode === 0) return { summary: `${action.name} succeeded (exit code 0) in ${took}`, failed: false };
  const how = outcome.exitCode === null ? `was killed by ${outcome.signal ?? 'a signal'}` : `failed with exit code ${outcome.exitCode}`;
  return { summary: `${action.name} ${how} after ${took}`, failed: true };
}

export function actionTool(action: ActionConfig, deps: ActionDeps): ServedTool {
  const name = actionToolName(action);
  return {
    definition: {
      name,
      title: action.name,
      description: describeAction(action),
      inputSchema: parametersSchema(action),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async call(args, context) {
      const validated = validateParameters(action, args);
      if (!validated.ok) return json({ summary: `invalid arguments for ${name}: ${validated.error}` }, true);
      const rendered = renderArgv(action.argv, validated.values, action.parameters);
      if (!rendered.ok) return json({ summary: `cannot build the command for ${name}: ${rendered.error}` }, true);

      const env: Record<string, string> = { ...deps.baseEnv };
      const missing: string[] = [];
      for (const credential of action.credentials) {
        const value = deps.credentials.get(credential);
        if (value === undefined) missing.push(credential);
        else env[credentialEnvName(credential)] = value;
      }
      const credentialEnv = action.credentials.map(credentialEnvName);

      if (context.dryRun) {
        return json(
          {
            summary: `dry run: would run ${rendered.argv.join(' ')}`,
            action: action.name,
            dry_run: true,
            argv: rendered.argv,
            parameters: validated.values,
            credential_env: credentialEnv,
            ...(missing.length === 0 ? {} : { missing_credentials: missing }),
            timeout_ms: action.timeoutMs,
          },
          false,
        );
      }
      if (missing.length > 0) {
        const sources = missing.map((credential) => {
          const from = deps.credentialSources.get(credential);
          return from === undefined ? credential : `${credential} (set ${from} where incident runs)`;
        });
        return json({ summary: `${name} needs credentials that were not provided: ${sources.join(', ')}`, argv: rendered.argv }, true);
      }

      const outcome = await runProcess({
        argv: rendered.argv,
        env,
        timeoutMs: action.timeoutMs,
        signal: context.signal,
        onOutput: (chunk) => context.output(chunk),
        keepChars: Math.max(400, deps.maxOutputChars - 1_500),
      });
      const { summary, failed } = outcomeSummary(action, outcome);
      return json(
        {
          summary,
          action: action.name,
          argv: rendered.argv,
          exit_code: outcome.exitCode,
          ...(outcome.signal === null ? {} : { signal: outcome.signal }),
          timed_out: outcome.timedOut,
          ...(outcome.cancelled ? { cancelled: true } : {}),
          duration_ms: outcome.durationMs,
          output: outcome.output,
          ...(outcome.omittedChars === 0 ? {} : { output_omitted_chars: outcome.omittedChars }),
        },
        failed,
      );
    },
  };
}
