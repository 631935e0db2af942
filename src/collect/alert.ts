// The page: from Alertmanager's API (GET /api/v2/alerts), from a webhook already received,
// or given by hand. Alertmanager's alerts are written as alert.json in the webhook payload
// shape (spec/bundle.md: `version: "4"`, `alerts[]` with labels, annotations, startsAt,
// status), the first firing alert being the page and the others context; a page given by
// hand is written as incident.yaml.
import { stringify } from 'yaml';
import { parseTime } from '../bundle/index.js';
import { baseUrl, endpoint, getJson } from './http.js';
import type { AlertSource, WebhookAlert, WebhookPayload } from './plan.js';
import { SourceError } from './problems.js';

/** What the rest of the collection needs to know about the page. */
export interface Page {
  title: string;
  service: string | null;
  /** Epoch ms; null when the source does not say. */
  startedAt: number | null;
}

/** How many alerts alert.json carries: the page's group first, then others firing at the time, as context. */
const MAX_ALERTS = 20;

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isFields(value)) return out;
  for (const [key, raw] of Object.entries(value)) if (typeof raw === 'string') out[key] = raw;
  return out;
}

export function serviceOfLabels(labels: Readonly<Record<string, string>>): string | null {
  return labels['service'] || labels['job'] || labels['app'] || null;
}

/** One alert of `GET /api/v2/alerts` in the webhook's shape (an `active` state is `firing`). */
function fromApi(raw: unknown): WebhookAlert | null {
  if (!isFields(raw)) return null;
  const state = isFields(raw.status) && typeof raw.status.state === 'string' ? raw.status.state : 'active';
  return {
    status: state === 'resolved' ? 'resolved' : 'firing',
    labels: strings(raw.labels),
    annotations: strings(raw.annotations),
    startsAt: typeof raw.startsAt === 'string' ? raw.startsAt : '',
    endsAt: typeof raw.endsAt === 'string' ? raw.endsAt : '0001-01-01T00:00:00Z',
    generatorURL: typeof raw.generatorURL === 'string' ? raw.generatorURL : '',
    fingerprint: typeof raw.fingerprint === 'string' ? raw.fingerprint : '',
  };
}

/** Labels (or annotations) every alert shares, as Alertmanager computes `commonLabels`. */
function common(maps: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first).filter(([key, value]) => rest.every((other) => other[key] === value)));
}

export function payloadOf(alerts: readonly WebhookAlert[], externalURL: string, groupKey: string): WebhookPayload {
  const group = alerts.filter((alert) => alert.labels['alertname'] === alerts[0]?.labels['alertname']);
  const alertname = alerts[0]?.labels['alertname'];
  return {
    version: '4',
    groupKey,
    status: alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'incident',
    groupLabels: alertname === undefined ? {} : { alertname },
    commonLabels: common(group.map((alert) => alert.labels)),
    commonAnnotations: common(group.map((alert) => alert.annotations)),
    externalURL,
    alerts: [...alerts],
    truncatedAlerts: 0,
  };
}

export function pageOf(payload: WebhookPayload): Page {
  const page = payload.alerts.find((alert) => alert.status === 'firing') ?? payload.alerts[0];
  const labels = { ...payload.commonLabels, ...(page?.labels ?? {}) };
  const started = parseTime(page?.startsAt);
  return {
    title: labels['alertname'] ?? page?.annotations['summary'] ?? 'alert',
    service: serviceOfLabels(labels),
    startedAt: started !== null && started > 0 ? started : null,
  };
}

async function activeAlerts(url: string, timeoutMs: number, signal: AbortSignal | undefined, alertname?: string): Promise<WebhookAlert[]> {
  const base = baseUrl(url);
  if (base === null) throw new SourceError(`${url} is not an http(s) URL`);
  const params: Array<[string, string]> = alertname === undefined ? [] : [['filter', `alertname="${alertname.replace(/["\\]/g, '\\$&')}"`]];
  const body = await getJson(endpoint(base, 'api/v2/alerts', params), { timeoutMs, ...(signal ? { signal } : {}) });
  if (!Array.isArray(body)) throw new SourceError(`${base.origin}/api/v2/alerts did not answer with a list of alerts (is it Alertmanager?)`);
  return body.map(fromApi).filter((alert): alert is WebhookAlert => alert !== null);
}

/** Newest first, the paged service's first when one is known. */
function rank(alerts: WebhookAlert[], service: string | undefined): WebhookAlert[] {
  return [...alerts].sort((a, b) => {
    if (service !== undefined) {
      const byService = Number(serviceOfLabels(b.labels) === service) - Number(serviceOfLabels(a.labels) === service);
      if (byService !== 0) return byService;
    }
    return (parseTime(b.startsAt) ?? 0) - (parseTime(a.startsAt) ?? 0);
  });
}

export interface FetchedAlert {
  /** alert.json's content, or null for a page given by hand (written as incident.yaml once the window is known). */
  payload: WebhookPayload | null;
  page: Page;
  /** What could not be added to it (the other alerts firing, when Alertmanager did not answer). */
  missing: string[];
}

/**
 * Reads the page from its source. Alertmanager that cannot be read, or that has no such
 * alert, is a SourceError (the collection goes on without a page and records why).
 */
export async function fetchAlert(source: AlertSource, options: { timeoutMs: number; signal?: AbortSignal; service?: string }): Promise<FetchedAlert> {
  switch (source.kind) {
    case 'manual':
      return {
        payload: null,
        page: { title: source.title ?? `${source.service} incident`, service: source.service, startedAt: source.startedAt === undefined ? null : parseTime(source.startedAt) },
        missing: [],
      };
    case 'payload': {
      const alerts = [...source.payload.alerts];
      const missing: string[] = [];
      if (source.alertmanager !== undefined) {
        // Other alerts firing now are context: a neighbour alerting too says a lot. Without them the page still stands.
        try {
          const others = await activeAlerts(source.alertmanager, options.timeoutMs, options.signal);
          const known = new Set(alerts.map((alert) => alert.fingerprint));
          for (const other of others) if (!known.has(other.fingerprint) && alerts.length < MAX_ALERTS) alerts.push(other);
        } catch (error) {
          if (options.signal?.aborted) throw error;
          missing.push(`the other alerts firing were not read: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const payload = { ...source.payload, alerts };
      return { payload, page: pageOf(payload), missing };
    }
    case 'alertmanager': {
      const found = await activeAlerts(source.url, options.timeoutMs, options.signal, source.alertname);
      const matching = rank(
        found.filter((alert) => source.fingerprint === undefined || alert.fingerprint === source.fingerprint),
        options.service,
      );
      if (matching.length === 0) {
        const what = source.fingerprint !== undefined ? `with fingerprint ${source.fingerprint}` : source.alertname !== undefined ? `named ${source.alertname}` : 'at all';
        throw new SourceError(`Alertmanager has no alert ${what}`);
      }
      const base = baseUrl(source.url);
      const payload = payloadOf(matching.slice(0, MAX_ALERTS), base?.origin ?? source.url, `{}:{alertname="${matching[0]?.labels['alertname'] ?? ''}"}`);
      return { payload, page: pageOf(payload), missing: [] };
    }
  }
}

/** incident.yaml for a page given by hand. */
export function incidentYaml(source: Extract<AlertSource, { kind: 'manual' }>, startedAt: number): string {
  return stringify({
    title: source.title ?? `${source.service} incident`,
    service: source.service,
    ...(source.severity !== undefined ? { severity: source.severity } : {}),
    started_at: new Date(startedAt).toISOString(),
  });
}
