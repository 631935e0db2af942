// What a person must know before approving a remediation action: the exact command line
// (the argv after substitution), the environment whose worker runs it, and whether it can
// run there at all (a credential missing, an argument refused). The runtime asks its hands
// for a dry run when the agent proposes the call and records the answer on the
// `agent.tool_use` event under ACTION_CHECK_FIELD (a runtime extension, as `incident_chain`
// is), so every reader of the log sees it: the terminal's approval prompt, a scripted run
// answering by `--approve`, `sessions show`, a resume after a crash. Credential values are
// never part of it, only their names and where they are read from.
import { z } from 'zod';

export const ACTION_CHECK_FIELD = 'incident_action_check';

export const ActionCheckSchema = z.object({
  /** The exact command line, after substitution; null when it could not be built. */
  argv: z.array(z.string()).nullable(),
  /** The environment whose worker runs it. */
  environment: z.string(),
  timeout_ms: z.number().nullable(),
  /** The credentials it receives, by name. */
  credentials: z.array(z.string()),
  /** Those the worker does not have, with the variable it reads each from. */
  missing_credentials: z.array(z.object({ name: z.string(), from_env: z.string().nullable() })),
  /** true: it can run; false: it cannot (see `problem`); null: the check itself failed. */
  can_run: z.boolean().nullable(),
  /** Why it cannot run, or why it could not be checked; null when it can run. */
  problem: z.string().nullable(),
});

export type ActionCheck = z.infer<typeof ActionCheckSchema>;

/** The check recorded on a tool-use event, or null when there is none (or it does not parse). */
export function actionCheckOf(event: object): ActionCheck | null {
  const raw = (event as Record<string, unknown>)[ACTION_CHECK_FIELD];
  if (raw === undefined) return null;
  const parsed = ActionCheckSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
