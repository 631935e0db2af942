// Hand-built session histories: tool calls and their results, as the runtime logs them.
import type { SessionEvent } from '../../src/protocol/events.js';

export class History {
  readonly events: SessionEvent[] = [];
  private counter = 0;

  private push(event: Record<string, unknown>): string {
    this.counter += 1;
    const id = `sevt_${this.counter}`;
    this.events.push({ ...event, id, processed_at: '2026-01-01T00:00:00Z' } as unknown as SessionEvent);
    return id;
  }

  /** A tool call and its result; returns the result event's id. */
  tool(name: string, input: Record<string, unknown>, result: unknown, isError = false): string {
    const useId = this.push({ type: 'agent.tool_use', name, input });
    const text = typeof result === 'string' ? result : JSON.stringify(result);
    return this.push({ type: 'agent.tool_result', tool_use_id: useId, content: [{ type: 'text', text }], is_error: isError });
  }
}

export const PAGE_AT = '2026-02-10T14:12:00.000Z';
export const P99 = 'http_request_duration_p99_seconds{service="checkout"}';
export const DB_CPU = 'node_cpu_utilisation_ratio{service="catalog-db"}';

/** A session that described the bundle, listed changes, detected the onset, read a diff and searched logs. */
export function investigated(): History {
  const h = new History();
  h.tool('describe_bundle', {}, {
    summary: 'Page "CheckoutLatency" (checkout)',
    page: { title: 'CheckoutLatency', service: 'checkout', started_at: PAGE_AT },
    series: [{ id: P99, service: 'checkout' }, { id: DB_CPU, service: 'catalog-db' }],
  });
  h.tool('list_changes', {}, {
    summary: '4 changes',
    changes: [
      { id: 'cfg-1180', service: 'api-gateway', type: 'config', at: '2026-02-10T13:42:00.000Z' },
      { id: 'deploy-4821', service: 'checkout', type: 'deploy', at: '2026-02-10T14:02:30.000Z' },
      { id: 'rollback-4830', service: 'checkout', type: 'rollback', at: '2026-02-10T14:01:00.000Z', attributes: { reverts: 'cfg-1180' } },
      { id: 'deploy-4823', service: 'search', type: 'deploy', at: '2026-02-10T14:31:00.000Z' },
    ],
  });
  h.tool('detect_changes', {}, {
    summary: '2 significant changes',
    change_points: [
      { series: P99, service: 'checkout', onset: '2026-02-10T14:03:30.000Z', direction: 'up', z: 40, significant: true },
      { series: DB_CPU, service: 'catalog-db', onset: '2026-02-10T14:03:00.000Z', direction: 'up', z: 20, significant: true },
    ],
  });
  h.tool('get_diff', { change_id: 'deploy-4821' }, {
    summary: 'diffs/deploy-4821.patch: 1 risk signal',
    diff: 'diffs/deploy-4821.patch',
    risk_signals: [{ kind: 'cache_removed', patch: 'diffs/deploy-4821.patch:42', code: 'src/price.ts:120' }],
    hunks: [{ patch: 'diffs/deploy-4821.patch:30-60', code: 'src/price.ts:100-130' }],
  });
  h.tool('search_logs', { pattern: 'timeout' }, {
    summary: '120 matching events',
    matches: [{ ref: 'logs/checkout.log:1234', t: '2026-02-10T14:05:00.000Z', text: 'statement timeout' }],
  });
  return h;
}

/** A diagnosis blaming deploy-4821 with metric, change, diff and log evidence. */
export function blame(overrides: { root_cause?: Record<string, unknown>; [key: string]: unknown } = {}): Record<string, unknown> {
  const { root_cause: rootCause, ...rest } = overrides;
  return {
    summary: 'deploy-4821 removed the price cache; catalog-db saturated and checkout p99 climbed.',
    root_cause: { category: 'deploy', service: 'checkout', change_id: 'deploy-4821', description: 'price cache removed', ...rootCause },
    confidence: 0.85,
    evidence: [
      { source: 'changes', ref: 'deploy-4821', detail: 'deploy of checkout' },
      { source: 'metrics', ref: P99, detail: 'p99 up' },
      { source: 'diffs', ref: 'diffs/deploy-4821.patch:42', detail: 'cache removed' },
      { source: 'logs', ref: 'logs/checkout.log:1234', detail: 'statement timeout' },
    ],
    remediation: [{ action: 'rollback', target: 'deploy-4821', detail: 'roll back', risk: 'low' }],
    timeline: [
      { at: '2026-02-10T14:02:30Z', event: 'deploy-4821 took effect' },
      { at: '2026-02-10T14:03:30Z', event: 'Onset: checkout p99 left its band' },
    ],
    ...rest,
  };
}
