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

/** A tool result's content: optional, else a list of blocks (text blocks with text). */
function resultContent(content: unknown, where: string): unknown[] {
  if (content === undefined || content === null) return [];
  if (!Array.isArray(content)) throw badRequest(`${where}.content must be a list of blocks`);
  if (content.length > 0) checkContent(content, where);
  return content;
}

function resultError(value: unknown, where: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw badRequest(`${where}.is_error must be true or false`);
  return value;
}

/**
 * The result of a call the hands outside the runtime owe: the id must name one of the
 * session's calls of that kind still waiting for its result, once per request. An id
 * already answered, never made, or made for another kind of answer is refused.
 */
function externalCall(ledger: Ledger | null, id: unknown, kind: 'custom' | 'tool_use', where: string, field: string, answeredNow: Set<string>): string {
  if (typeof id !== 'string' || id === '') throw badRequest(`${where}.${field} is required`);
  const waiting = ledger?.external.some((call) => call.id === id && (call.kind ?? 'tool_use') === kind) ?? false;
  if (!waiting || answeredNow.has(id)) {
    const what = kind === 'custom' ? 'a custom tool call of this session waiting for its result' : 'a tool call of this session whose result the hands owe';
    throw badRequest(`${where}.${field} ${id} is not ${what}`);
  }
  answeredNow.add(id);
  return id;
}

export function validateSentEvents(
  events: unknown,
  ledger: Ledger | null,
  options: { only?: readonly string[] } = {},
): NewEvent[] {
  if (!Array.isArray(events) || events.length === 0) throw badRequest('events must be a non-empty list');
  const allowed = options.only ?? SENDABLE_EVENT_TYPES;
  const confirmedNow = new Set<string>();
  const answeredNow = new Set<string>();
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
        const id = externalCall(ledger, event['custom_tool_use_id'], 'custom', where, 'custom_tool_use_id', answeredNow);
        return { type, custom_tool_use_id: id, content: resultContent(event['content'], where), is_error: resultError(event['is_error'], where) };
      }
      case 'user.tool_result': {
        const id = externalCall(ledger, event['tool_use_id'], 'tool_use', where, 'tool_use_id', answeredNow);
        return { type, tool_use_id: id, content: resultContent(event['content'], where), is_error: resultError(event['is_error'], where) };
      }
      default:
        throw badRequest(`${where}.type ${type} is not accepted`);
    }
  });
}
