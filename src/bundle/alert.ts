// The page that started the incident: `incident.yaml` (written by a person) or `alert.json`
// (an Alertmanager webhook payload, or the alert list its API returns).

import { parse as parseYaml } from 'yaml';
import { describeError, type ProblemSink } from './problems.js';
import { parseTime } from './time.js';
import type { Alert } from './types.js';

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : null;
  return null;
}

function firstText(fields: Fields, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = text(fields[key]);
    if (value !== null) return value;
  }
  return null;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isFields(value)) return out;
  for (const [key, raw] of Object.entries(value)) {
    const v = text(raw);
    if (v !== null) out[key] = v;
  }
  return out;
}

/** Alertmanager's "not set" is year 1; nothing before 1970 is a real start. */
function startTime(value: unknown): number | null {
  const t = parseTime(value);
  return t !== null && t > 0 ? t : null;
}

function serviceOf(labels: Record<string, string>): string | null {
  return labels.service ?? labels.job ?? labels.app ?? null;
}

/** A longer text, unless it only repeats the summary. */
function beyond(summary: string | null, description: string | null): string | null {
  return description === null || description === summary ? null : description;
}

function links(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const out: string[] = [];
  for (const item of list) {
    const link = isFields(item) ? firstText(item, ['url', 'href', 'link']) : text(item);
    if (link !== null) out.push(link);
  }
  return out;
}

function parseProblem(path: string, error: unknown): { path: string; line?: number; message: string } {
  const line = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
  const message = `not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${describeError(error).split('\n')[0] ?? ''}`;
  return line === undefined ? { path, message } : { path, line, message };
}

export function parseIncidentYaml(source: string, path: string, problems: ProblemSink): Alert | null {
  let doc: unknown;
  try {
    doc = parseYaml(source);
  } catch (error) {
    problems.add(parseProblem(path, error));
    return null;
  }
  if (doc === null || doc === undefined) return null;
  if (!isFields(doc)) {
    problems.add({ path, message: 'expected a mapping with title, service, severity, started_at' });
    return null;
  }
  const labels = stringMap(doc.labels);
  const summary = firstText(doc, ['summary', 'description']);
  return {
    source: path,
    title: firstText(doc, ['title', 'name', 'alertname']) ?? labels.alertname ?? 'incident',
    service: text(doc.service) ?? serviceOf(labels),
    severity: firstText(doc, ['severity', 'priority']) ?? labels.severity ?? null,
    startedAt: startTime(doc.started_at ?? doc.startedAt ?? doc.starts_at ?? doc.startsAt ?? doc.at ?? doc.time),
    summary,
    description: beyond(summary, text(doc.description)),
    labels,
    links: links(doc.links),
    others: [],
  };
}

function isFiring(alert: Fields): boolean {
  if (alert.status === 'firing') return true;
  return isFields(alert.status) && alert.status.state === 'active'; // the /api/v2/alerts shape
}

function statusOf(alert: Fields): string | null {
  if (typeof alert.status === 'string') return alert.status;
  return isFields(alert.status) ? text(alert.status.state) : null;
}

interface ReadAlert {
  fields: Fields;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  title: string;
}

type AlertContext = Alert['others'][number];

/** The alerts of a payload, each with the payload's common labels and annotations folded in. */
function readAlerts(source: string, path: string, problems: ProblemSink): ReadAlert[] | null {
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (error) {
    problems.add(parseProblem(path, error));
    return null;
  }
  const payload: Fields = isFields(doc) ? doc : {};
  const list = Array.isArray(doc) ? doc : Array.isArray(payload.alerts) ? payload.alerts : null;
  if (list === null) {
    problems.add({ path, message: 'expected an Alertmanager payload with an `alerts` list' });
    return null;
  }
  const alerts = list.filter(isFields);
  if (alerts.length < list.length) problems.add({ path, message: 'some entries of `alerts` are not objects and were skipped' });
  const commonLabels = stringMap(payload.commonLabels);
  const commonAnnotations = stringMap(payload.commonAnnotations);
  return alerts.map((fields) => {
    const labels = { ...commonLabels, ...stringMap(fields.labels) };
    const annotations = { ...commonAnnotations, ...stringMap(fields.annotations) };
    return { fields, labels, annotations, title: labels.alertname ?? annotations.title ?? annotations.summary ?? 'alert' };
  });
}

function asContext(alert: ReadAlert): AlertContext {
  return { title: alert.title, service: serviceOf(alert.labels), startedAt: startTime(alert.fields.startsAt), status: statusOf(alert.fields) };
}

/** An Alertmanager payload as the page: its first firing alert, with the other alerts as context. */
export function parseAlertmanagerJson(source: string, path: string, problems: ProblemSink): Alert | null {
  const alerts = readAlerts(source, path, problems);
  const page = alerts?.find((alert) => isFiring(alert.fields)) ?? alerts?.[0];
  if (!alerts || !page) return null;
  const { fields, labels, annotations } = page;
  const pageLinks = [text(fields.generatorURL), ...Object.values(annotations).filter((v) => /^https?:\/\//.test(v))];
  return {
    source: path,
    title: page.title,
    service: serviceOf(labels),
    severity: labels.severity ?? labels.priority ?? null,
    startedAt: startTime(fields.startsAt),
    summary: annotations.summary ?? annotations.description ?? annotations.message ?? null,
    description: beyond(annotations.summary ?? null, annotations.description ?? null),
    labels,
    links: [...new Set(pageLinks.filter((link): link is string => link !== null))],
    others: alerts.filter((alert) => alert !== page).map(asContext),
  };
}

/** Every alert of a payload as context, for when incident.yaml is the page. */
export function parseAlertmanagerContext(source: string, path: string, problems: ProblemSink): AlertContext[] {
  return (readAlerts(source, path, problems) ?? []).map(asContext);
}
