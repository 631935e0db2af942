// Reading tool results: tools answer with JSON carrying a top-level "summary" (one human
// line); anything else falls back to its first line. submit_diagnosis answers with the
// accepted diagnosis, which is validated here before any renderer trusts it.
import { DiagnosisSchema, type Diagnosis } from '../protocol/diagnosis.js';
import { firstLine, isRecord, oneLine, truncate } from './format.js';

const MAX_SUMMARY_CHARS = 240;

function parseJsonObject(text: string): Record<string, unknown> | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * The one line shown for a tool result. A remediation action approved on the client that
 * ran it (Claude Managed Agents logs no confirmation) says who approved it, with its summary.
 */
export function summarizeResult(text: string): string {
  const json = parseJsonObject(text);
  if (json) {
    const approval = typeof json['approval'] === 'string' && json['approval'].trim() !== '' ? ` · ${oneLine(json['approval'])}` : '';
    for (const key of ['summary', 'error', 'message']) {
      const value = json[key];
      if (typeof value === 'string' && value.trim().length > 0) return truncate(oneLine(value) + approval, MAX_SUMMARY_CHARS);
    }
  }
  return truncate(firstLine(text), MAX_SUMMARY_CHARS);
}

/** The accepted diagnosis in a submit_diagnosis result, or null when it carries none. */
export function parseAcceptedDiagnosis(text: string): Diagnosis | null {
  const json = parseJsonObject(text);
  if (!json || json['accepted'] === false) return null;
  const parsed = DiagnosisSchema.safeParse(json['diagnosis']);
  return parsed.success ? parsed.data : null;
}

/** What a command printed, from a result that reports it as `output` (remediation actions do); null otherwise. */
export function commandOutput(text: string | null): string | null {
  if (text === null) return null;
  const output = parseJsonObject(text)?.['output'];
  return typeof output === 'string' && output.trim() !== '' ? output : null;
}
