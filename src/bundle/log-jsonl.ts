// JSON-lines log records (pino, bunyan, zap, logstash/ECS, Docker's json-file driver).

import { parseLevel } from './levels.js';
import { parseTime } from './time.js';
import type { ParsedLogLine } from './types.js';

const TIME_KEYS = ['time', 'ts', 'timestamp', '@timestamp'] as const;
const LEVEL_KEYS = ['level', 'severity', 'lvl', 'log.level'] as const;
const MESSAGE_KEYS = ['msg', 'message', 'log'] as const;
const SERVICE_KEYS = ['service', 'service.name', 'svc', 'app'] as const;

function firstKey(record: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) if (record[key] !== undefined && record[key] !== null) return key;
  return undefined;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** ECS writes `"service": {"name": "cart"}`; everyone else a string. */
function serviceName(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object') {
    const name = (value as Record<string, unknown>).name;
    if (typeof name === 'string' && name.trim()) return name.trim();
  }
  return null;
}

/** Maps an already-parsed JSON record; null when it is not an object. */
export function mapJsonLogRecord(record: unknown, fallbackService: string): ParsedLogLine | null {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return null;
  const fields = record as Record<string, unknown>;
  const timeKey = firstKey(fields, TIME_KEYS);
  const levelKey = firstKey(fields, LEVEL_KEYS);
  const messageKey = firstKey(fields, MESSAGE_KEYS);
  let serviceKey: string | undefined;
  let service: string | null = null;
  for (const key of SERVICE_KEYS) {
    service = serviceName(fields[key]);
    if (service !== null) {
      serviceKey = key;
      break;
    }
  }
  const level = levelKey === undefined ? null : parseLevel(fields[levelKey]);
  const attributes: Record<string, unknown> = {};
  for (const key in fields) {
    if (key === timeKey || key === messageKey || key === serviceKey) continue;
    if (key === levelKey && level !== null) continue;
    attributes[key] = fields[key];
  }
  let message = messageKey === undefined ? '' : asText(fields[messageKey]);
  if (messageKey === 'log' && message.endsWith('\n')) message = message.replace(/\r?\n$/, ''); // Docker keeps the newline
  return {
    t: timeKey === undefined ? null : parseTime(fields[timeKey]),
    level,
    service: service ?? fallbackService,
    message,
    attributes,
  };
}

/** One JSON-lines record; null when the line is not a JSON object (a malformed line). */
export function parseJsonLogLine(line: string, fallbackService: string): ParsedLogLine | null {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return null;
  }
  return mapJsonLogRecord(record, fallbackService);
}
