// Zod schemas of the events this project writes and reads, for checking a log or an
// NDJSON stream from outside (tests, `--ndjson` consumers). The TypeScript types come
// from the SDK (events.ts); a compile-time check below keeps the two in step.
import { z } from 'zod';
import type { SessionEventType } from './events.js';

const envelope = { id: z.string().regex(/^sevt_[0-9a-z]+$/), processed_at: z.string().datetime({ offset: true }) };
const text = z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough());
const usage = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_read_input_tokens: z.number().int().nonnegative().optional(),
  cache_creation_input_tokens: z.number().int().nonnegative().optional(),
});

export const SessionEventSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('user.message'), content: text }).passthrough(),
  z.object({ ...envelope, type: z.literal('user.interrupt') }).passthrough(),
  z
    .object({ ...envelope, type: z.literal('user.tool_confirmation'), tool_use_id: z.string(), result: z.enum(['allow', 'deny']), deny_message: z.string().optional() })
    .passthrough(),
  z.object({ ...envelope, type: z.literal('agent.message'), content: text }).passthrough(),
  z
    .object({
      ...envelope,
      type: z.literal('agent.tool_use'),
      name: z.string().min(1),
      input: z.record(z.string(), z.unknown()),
      evaluated_permission: z.enum(['allow', 'ask', 'deny']).optional(),
    })
    .passthrough(),
  z.object({ ...envelope, type: z.literal('agent.tool_result'), tool_use_id: z.string(), content: text.optional(), is_error: z.boolean().optional() }).passthrough(),
  // A call answered outside the runtime: by the client (custom tools) or a self-hosted worker.
  z.object({ ...envelope, type: z.literal('agent.custom_tool_use'), name: z.string().min(1), input: z.record(z.string(), z.unknown()) }).passthrough(),
  z
    .object({ ...envelope, type: z.literal('user.custom_tool_result'), custom_tool_use_id: z.string(), content: text.optional(), is_error: z.boolean().optional() })
    .passthrough(),
  z.object({ ...envelope, type: z.literal('user.tool_result'), tool_use_id: z.string(), content: text.optional(), is_error: z.boolean().optional() }).passthrough(),
  z.object({ ...envelope, type: z.literal('session.status_running') }).passthrough(),
  z
    .object({
      ...envelope,
      type: z.literal('session.status_idle'),
      stop_reason: z.discriminatedUnion('type', [
        z.object({ type: z.literal('end_turn') }),
        z.object({ type: z.literal('requires_action'), event_ids: z.array(z.string()).min(1) }),
        z.object({ type: z.literal('retries_exhausted') }),
        z.object({ type: z.literal('budget_reached') }),
        z.object({ type: z.literal('refusal') }).passthrough(),
      ]),
      stop_details: z.unknown().nullable(),
    })
    .passthrough(),
  z.object({ ...envelope, type: z.literal('session.status_terminated') }).passthrough(),
  z
    .object({
      ...envelope,
      type: z.literal('session.error'),
      error: z.object({ type: z.string(), message: z.string(), retry_status: z.object({ type: z.enum(['retrying', 'exhausted', 'terminal']) }) }).passthrough(),
    })
    .passthrough(),
  z.object({ ...envelope, type: z.literal('session.updated') }).passthrough(),
  z.object({ ...envelope, type: z.literal('span.model_request_start') }).passthrough(),
  z
    .object({ ...envelope, type: z.literal('span.model_request_end'), model_request_start_id: z.string().optional(), is_error: z.boolean(), model_usage: usage })
    .passthrough(),
]);

export type CheckedSessionEvent = z.infer<typeof SessionEventSchema>;

/** Every type the schema knows must be a real SDK event type. */
type SchemaTypes = CheckedSessionEvent['type'];
const _typesAreKnown: SchemaTypes extends SessionEventType ? true : never = true;
void _typesAreKnown;
