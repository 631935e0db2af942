// `POST /v1/alertmanager` on `incident serve --alertmanager`: Alertmanager's webhook
// (`webhook_configs` with `http_config: authorization: credentials: <runtime key>`). It sits
// inside the serve guard, so it is refused without the key, from another origin or not as
// JSON, like every other request; every other path goes on to the runtime.
import { ApiError, badRequest, errorResponse, jsonResponse } from '../../runtime/api-error.js';
import type { FetchHandler } from '../../runtime/node-server.js';
import { readJson } from '../../runtime/request.js';
import type { WebhookAlert, WebhookPayload } from '../../collect/index.js';
import type { AlertIntake } from './alert-intake.js';

export const INTAKE_PATH = '/v1/alertmanager';

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isFields(value)) throw badRequest(`${where} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (typeof raw !== 'string') throw badRequest(`${where}.${key} must be a string`);
    out[key] = raw;
  }
  return out;
}

function text(value: unknown, where: string, fallback?: string): string {
  if (typeof value === 'string') return value;
  if (value === undefined && fallback !== undefined) return fallback;
  throw badRequest(`${where} must be a string`);
}

/** The webhook body, checked: Alertmanager's `version: "4"` payload. */
export function parseWebhook(body: Fields): WebhookPayload {
  if (body['version'] !== '4') throw badRequest('not an Alertmanager webhook payload: version must be "4" (Alertmanager 0.x webhook_configs)');
  const status = text(body['status'], 'status');
  if (status !== 'firing' && status !== 'resolved') throw badRequest('status must be firing or resolved');
  const groupKey = text(body['groupKey'], 'groupKey');
  if (groupKey === '') throw badRequest('groupKey must not be empty');
  const raw = body['alerts'];
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest('alerts must be a non-empty list');
  const alerts: WebhookAlert[] = raw.map((alert: unknown, index) => {
    const where = `alerts[${index}]`;
    if (!isFields(alert)) throw badRequest(`${where} must be an object`);
    return {
      status: text(alert['status'], `${where}.status`, status),
      labels: strings(alert['labels'], `${where}.labels`),
      annotations: strings(alert['annotations'], `${where}.annotations`),
      startsAt: text(alert['startsAt'], `${where}.startsAt`, ''),
      endsAt: text(alert['endsAt'], `${where}.endsAt`, ''),
      generatorURL: text(alert['generatorURL'], `${where}.generatorURL`, ''),
      fingerprint: text(alert['fingerprint'], `${where}.fingerprint`, ''),
    };
  });
  return {
    version: '4',
    groupKey,
    status,
    receiver: text(body['receiver'], 'receiver', ''),
    groupLabels: strings(body['groupLabels'], 'groupLabels'),
    commonLabels: strings(body['commonLabels'], 'commonLabels'),
    commonAnnotations: strings(body['commonAnnotations'], 'commonAnnotations'),
    externalURL: text(body['externalURL'], 'externalURL', ''),
    alerts,
    truncatedAlerts: typeof body['truncatedAlerts'] === 'number' ? body['truncatedAlerts'] : 0,
  };
}

/** The runtime's handler with the intake in front of it. */
export function withAlertIntake(next: FetchHandler, intake: AlertIntake): FetchHandler {
  return async (request, connection) => {
    if (new URL(request.url).pathname !== INTAKE_PATH) return next(request, connection);
    try {
      if (request.method !== 'POST') throw new ApiError(405, `${INTAKE_PATH} takes POST (Alertmanager's webhook)`);
      const reply = await intake.receive(parseWebhook(await readJson(request)));
      return jsonResponse(reply.body, reply.status);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
