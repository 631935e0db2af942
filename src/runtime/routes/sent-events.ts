// Validation of events a client sends. All of a request's events are checked before
// any is appended: a bad one changes nothing.
import { SENDABLE_EVENT_TYPES } from '../../protocol/events.js';
import type { NewEvent } from '../../store/index.js';
import { badRequest } from '../api-error.js';
import type { Ledger } from '../ledger.js';

function checkContent(content: unknown, where: string): void {
  if (!Array.isArray(content) || content.length === 0) throw badRequest(`${where}.content must be a non-empty list of blocks`);
  content.forEach((block: unknown, index) => {
    const type = (block as { type?: unknown } | null)?.type;
    if (typeof type !== 'string') throw badRequest(`${where}.content[${index}].type is required`);
    if (type === 'text' && typeof (block as { text?: unknown }).text !== 'string') {
      throw badRequest(`${where}.content[${index}].text must be a string`);
    }
  });
}

export function validateSentEvents(
  events: unknown,
  ledger: Ledger | null,
  options: { only?: readonly string[] } = {},
): NewEvent[] {
  if (!Array.isArray(events) || events.length === 0) throw badRequest('events must be a non-empty list');
  const allowed = options.only ?? SENDABLE_EVENT_TYPES;
  const confirmedNow = new Set<string>();
  return events.map((raw: unknown, index) => {
    const where = `events[${index}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest(`${where} must be an object`);
    const event = raw as Record<string, unknown>;
    const type = event['type'];
    if (typeof type !== 'string' || !allowed.includes(type)) {
      throw badRequest(`${where}.type ${JSON.stringify(type)} is not an event this runtime accepts (${allowed.join(', ')})`);
    }
    switch (type) {
      case 'user.message':
        checkContent(event['content'], where);
        return { type, content: event['content'] };
      case 'user.interrupt':
        return { type };
      case 'user.tool_confirmation': {
        const toolUseId = event['tool_use_id'];
        const result = event['result'];
        if (typeof toolUseId !== 'string') throw badRequest(`${where}.tool_use_id is required`);
        if (result !== 'allow' && result !== 'deny') throw badRequest(`${where}.result must be allow or deny`);
        const awaiting = ledger?.awaiting.some((call) => call.id === toolUseId) ?? false;
        if (!awaiting || confirmedNow.has(toolUseId)) {
          throw badRequest(`${where}.tool_use_id ${toolUseId} is not a tool call waiting for confirmation`);
        }
        confirmedNow.add(toolUseId);
        const denyMessage = event['deny_message'];
        if (denyMessage !== undefined && (result !== 'deny' || typeof denyMessage !== 'string')) {
          throw badRequest(`${where}.deny_message is a string and goes only with result deny`);
        }
        return { type, tool_use_id: toolUseId, result, ...(typeof denyMessage === 'string' ? { deny_message: denyMessage } : {}) };
      }
      case 'user.custom_tool_result': {
        const customToolUseId = event['custom_tool_use_id'];
        if (typeof customToolUseId !== 'string') throw badRequest(`${where}.custom_tool_use_id must be the id (a string) of a custom tool call of this session`);
        throw badRequest(`${where}.custom_tool_use_id ${customToolUseId} is not a custom tool call of this session`);
      }
      default:
        throw badRequest(`${where}.type ${type} is not accepted`);
    }
  });
}
