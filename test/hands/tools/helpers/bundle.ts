// A small, realistic incident bundle written into a temp dir: checkout's p99 latency and
// error ratio step up at 14:02, four minutes after deploy-4821 (13:58); the page fired at
// 14:10; checkout's log turns to upstream timeouts after 14:02. Noise is seeded.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { openBundle } from '../../../../src/bundle/index.js';
import { ErrorResultSchema, TOOL_RESULT_SCHEMAS } from '../../../../src/protocol/results/index.js';
import type { SreToolName } from '../../../../src/protocol/tools.js';
import type { HandsTool, ToolContext } from '../../../../src/hands/tool.js';
import { DEFAULT_LIMITS } from '../../../../src/hands/tool.js';
import { gaussian } from './random.js';
import { tempDir } from './temp.js';

export const ALERT_AT = Date.parse('2026-11-20T14:10:00Z');
export const ONSET = Date.parse('2026-11-20T14:02:00Z');
export const DEPLOY_AT = Date.parse('2026-11-20T13:58:00Z');
const START = Date.parse('2026-11-20T13:00:00Z');
const MINUTE = 60_000;

export const P99 = 'http_request_duration_p99_seconds{service="checkout"}';
export const ERRORS = 'http_error_ratio{service="checkout"}';
export const RATE = 'http_requests_per_second{service="checkout"}';

const PATCH = `From 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 Mon Sep 17 00:00:00 2001
From: Dana Smith <dana@example.com>
Date: Fri, 20 Nov 2026 13:50:00 +0000
Subject: [PATCH] checkout: read carts straight from the database

Drops the cart cache and tightens the pool.
---
 config/db.yaml         |  2 +-
 src/cart/service.go    | 14 +++++++-------
 2 files changed

diff --git a/config/db.yaml b/config/db.yaml
index 1111111..2222222 100644
--- a/config/db.yaml
+++ b/config/db.yaml
@@ -1,4 +1,4 @@
 database:
   host: db.internal
-  max_open_conns: 50
+  max_open_conns: 5
   timeout: 2s
diff --git a/src/cart/service.go b/src/cart/service.go
index 3333333..4444444 100644
--- a/src/cart/service.go
+++ b/src/cart/service.go
@@ -40,12 +40,11 @@ func (s *Service) Cart(ctx context.Context, id string) (*Cart, error) {
 	start := time.Now()
-	if cart, ok := s.cache.Get(id); ok {
-		return cart, nil
-	}
 	cart, err := s.db.LoadCart(ctx, id)
 	if err != nil {
 		return nil, err
 	}
-	s.cache.Set(id, cart, 5*time.Minute)
+	for _, item := range cart.Items {
+		item.Price, err = s.db.QueryPrice(ctx, item.SKU)
+	}
 	metrics.Observe(time.Since(start))
 	return cart, nil
 }
-- 
2.44.0
`;

function prometheus(name: string, labels: Record<string, string>, values: Array<[number, string]>): string {
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: name, ...labels }, values }] } });
}

function minutes(count: number, f: (t: number, i: number) => string): Array<[number, string]> {
  return Array.from({ length: count }, (_, i) => [(START + i * MINUTE) / 1000, f(START + i * MINUTE, i)]);
}

/** Writes the bundle and returns its directory. */
export async function writeBundle(extra: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir('incident-tools');
  const noise = gaussian(7);
  const files: Record<string, string> = {
    'incident.yaml': [
      'title: Checkout p99 latency above 1s',
      'service: checkout',
      'severity: SEV2',
      'started_at: 2026-11-20T14:10:00Z',
      'summary: p99 latency of checkout requests is above the 1s SLO',
    ].join('\n'),
    'metrics/checkout-latency.json': prometheus(
      'http_request_duration_p99_seconds',
      { service: 'checkout' },
      minutes(91, (t, i) => (i === 30 || i === 31 ? 'NaN' : (t < ONSET ? 0.25 + 0.01 * noise() : 1.4 + 0.05 * noise()).toFixed(4))),
    ),
    'metrics/checkout-errors.json': prometheus(
      'http_error_ratio',
      { service: 'checkout' },
      minutes(91, (t) => Math.max(0, t < ONSET ? 0.001 + 0.0003 * noise() : 0.05 + 0.004 * noise()).toFixed(5)),
    ),
    'metrics/traffic.csv': [
      'timestamp,metric,value,service',
      ...minutes(91, () => (120 + 4 * noise()).toFixed(2)).map(([t, v]) => `${t},http_requests_per_second,${v},checkout`),
    ].join('\n'),
    'changes.yaml': [
      '- id: cfg-77',
      '  service: payments',
      '  type: config',
      '  at: 2026-11-20T12:30:00Z',
      '  summary: raise payments worker count',
      '- id: deploy-4821',
      '  service: checkout',
      '  type: deploy',
      '  at: 2026-11-20T13:58:00Z',
      '  version: v2.31.0',
      '  author: dana',
      '  summary: read carts straight from the database',
      '  diff: diffs/deploy-4821.patch',
      '- id: flag-search-v2',
      '  service: search',
      '  type: feature_flag',
      '  at: 2026-11-20T14:20:00Z',
      '  summary: enable search v2 for 10%',
    ].join('\n'),
    'diffs/deploy-4821.patch': PATCH,
    'logs/checkout.log': checkoutLog(),
    'logs/payments.jsonl': paymentsLog(),
    'runbooks/checkout.md': ['# Checkout runbook', '', '1. Check the latest deploy.', '2. Roll back if latency rose after it.'].join('\n'),
    'notes.txt': 'free-form notes from the on-call engineer\n',
    ...extra,
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

/** One line per 20 s; after the onset every third line is an upstream timeout, with a stack trace now and then. */
function checkoutLog(): string {
  const lines: string[] = [];
  for (let t = START, i = 0; t < START + 90 * MINUTE; t += 20_000, i++) {
    const ts = new Date(t).toISOString();
    if (t >= ONSET && i % 3 === 0) {
      lines.push(`${ts} ERROR upstream timeout after 3000ms calling payments order=${1000 + i}`);
      if (i % 9 === 0) lines.push('java.net.SocketTimeoutException: Read timed out', '\tat com.shop.Http.call(Http.java:42)');
    } else {
      lines.push(`${ts} INFO request completed path=/api/cart status=200 duration_ms=${20 + (i % 7)}`);
    }
    if (i % 30 === 0) lines.push(`${ts} WARN cache refresh took ${100 + i}ms`);
  }
  return `${lines.join('\n')}\n`;
}

function paymentsLog(): string {
  const lines: string[] = [];
  for (let t = START, i = 0; t < START + 90 * MINUTE; t += 60_000, i++) {
    lines.push(JSON.stringify({ time: new Date(t).toISOString(), level: t >= ONSET ? 'warn' : 'info', service: 'payments', msg: t >= ONSET ? `slow charge took ${2000 + i}ms` : `charge ok id=${i}` }));
  }
  return `${lines.join('\n')}\n`;
}

export async function contextFor(dir: string, maxOutputChars = DEFAULT_LIMITS.maxOutputChars): Promise<ToolContext> {
  return { bundle: await openBundle(dir), roots: [dir], signal: new AbortController().signal, limits: { maxOutputChars } };
}

export interface Called {
  isError: boolean;
  text: string;
  /** The parsed result, read field by field in assertions. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON, checked by the assertions themselves
  json: Record<string, any>;
}

/**
 * Runs a tool as a client sees it, and holds every result to the contract: a success must
 * match the tool's output schema (and carry the same fields as its text), an error must be
 * the shared error result. A tool test that gets a result off the contract fails here.
 */
export async function call(tool: HandsTool, args: Record<string, unknown>, context: ToolContext): Promise<Called> {
  const result = await tool.run(args, context);
  const json = JSON.parse(result.text) as Called['json'];
  if (result.isError === true) {
    const error = ErrorResultSchema.safeParse(json);
    if (!error.success) throw new Error(`${tool.name} returned an error off the contract: ${result.text}`);
  } else {
    const checked = TOOL_RESULT_SCHEMAS[tool.name as SreToolName].safeParse(json);
    if (!checked.success) throw new Error(`${tool.name} returned a result that does not match its output schema: ${z.prettifyError(checked.error)}`);
    if (JSON.stringify(result.structured) !== result.text) throw new Error(`${tool.name}'s structured result differs from its text`);
  }
  return { isError: result.isError === true, text: result.text, json };
}
