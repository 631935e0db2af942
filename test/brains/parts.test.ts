import { growthOf } from '../../src/brains/triage/growth.js';
import { describe, expect, it } from 'vitest';
import type { BrainOutput } from '../../src/brains/brain.js';
import { corrected } from '../../src/brains/triage/conclude.js';
import type { Conclusion } from '../../src/brains/triage/decide.js';
import { departure } from '../../src/brains/triage/onset.js';
import { nextOffset, parseSeriesId, resultOf } from '../../src/brains/triage/read.js';
import type { RiskSignalInfo } from '../../src/brains/triage/read-diff.js';
import { actionCall } from '../../src/brains/triage/remedy.js';
import { canonical, Pending, Replay, type ToolReply } from '../../src/brains/triage/replay.js';
import { leadingRisk } from '../../src/brains/triage/edit-traits.js';
import type { Suspect } from '../../src/brains/triage/suspects.js';
import { Topology } from '../../src/brains/triage/topology.js';
import type { Diagnosis } from '../../src/protocol/diagnosis.js';
import type { VerifierProblem } from '../../src/protocol/results/index.js';
import type { SessionEvent } from '../../src/protocol/events.js';

const T0 = Date.parse('2031-01-01T00:00:00Z');
const STEP = 15_000;

function series(values: number[]): { id: string; service: string; start: number; stepMs: number; values: Array<number | null> } {
  return { id: 'x', service: 's', start: T0, stepMs: STEP, values };
}

/** A level with deterministic wobble, then `after` from index `at`. */
function stepAt(n: number, at: number, before: number, after: number, slope = 0): number[] {
  return Array.from({ length: n }, (_, i) => (i < at ? before : after) * (1 + 0.02 * Math.sin(i * 1.7)) + slope * i);
}

describe('departure: when a series left its normal band', () => {
  it('finds a step at the bucket where it happened', () => {
    const d = departure(series(stepAt(400, 300, 1, 3)), T0 + 390 * STEP);
    expect(d?.onset).toBe(T0 + 300 * STEP);
    expect(d?.direction).toBe('up');
    expect(d?.before).toBeCloseTo(1, 1);
  });

  it('finds the foot of a ramp', () => {
    const values = Array.from({ length: 400 }, (_, i) => (i < 300 ? 1 : 1 + (i - 300) * 0.05) * (1 + 0.01 * Math.sin(i * 1.3)));
    const d = departure(series(values), T0 + 390 * STEP);
    expect(d).not.toBeNull();
    expect(Math.abs((d?.onset ?? 0) - (T0 + 300 * STEP))).toBeLessThanOrEqual(2 * STEP);
  });

  it('does not take a slow daily drift for the start of an episode', () => {
    const drift = stepAt(400, 300, 1, 3, 0.002);
    const d = departure(series(drift), T0 + 390 * STEP);
    expect(d?.onset).toBe(T0 + 300 * STEP);
  });

  it('sees nothing in noise, in a blip that recovered, or in a series out of band from the start', () => {
    expect(departure(series(stepAt(400, 400, 1, 1)), T0 + 390 * STEP)).toBeNull();
    const blip = stepAt(400, 400, 1, 1).map((v, i) => (i >= 200 && i < 210 ? 5 : v));
    expect(departure(series(blip), T0 + 390 * STEP)).toBeNull();
    expect(departure(series(stepAt(400, 0, 1, 3)), T0 + 390 * STEP)).toBeNull();
  });

  it('reads through gaps', () => {
    const values: Array<number | null> = stepAt(400, 300, 1, 3);
    for (let i = 250; i < 320; i += 3) values[i] = null;
    expect(departure(series(values as number[]), T0 + 390 * STEP)?.onset).toBe(T0 + 300 * STEP);
  });
});

describe('topology', () => {
  const topology = new Topology(['inventory', 'inventory-db', 'cart', 'pricing']);
  /** A series of cart's, by its id (its meaning does not matter here). */
  const series = (id: string): Parameters<Topology['labelPeers']>[0] => {
    const { name, labels } = parseSeriesId(id);
    const meaning = { measures: 'latency' as const, worseWhen: 'up' as const, perUnit: false, canLeak: false, backlog: false, arrivals: false, hitShare: false, missShare: false, deviation: false };
    return { id: '', name, labels, service: 'cart', samples: 0, start: null, end: null, meaning };
  };

  it('finds services named in text, the longer name first', () => {
    expect([...topology.mentions('timeout calling inventory-db-writer.prod')]).toEqual(['inventory-db']);
    expect([...topology.mentions('inventory reserve failed; cart_pricing_attempts')].sort()).toEqual(['cart', 'inventory', 'pricing']);
    expect([...topology.mentions('cartography and repricing')]).toEqual([]);
  });

  it('reads peers and outside dependencies from series labels', () => {
    const info = series('upstream_duration_seconds{service="cart",upstream="payflow",caller="pricing"}');
    expect([...topology.seriesPeers(info)]).toEqual(['pricing']);
    expect(topology.externalPeers(info)).toEqual(['payflow']);
  });

  it('reads the service an address label names: a host name or URL is the address of the service in it', () => {
    const withPeer = (peer: string): Parameters<Topology['labelPeers']>[0] => series(`http_client_error_ratio{service="cart",peer="${peer}"}`);
    expect(topology.labelPeers(withPeer('api.pricing.example'))).toEqual(['pricing']);
    expect(topology.labelPeers(withPeer('https://pricing.internal:8443/v2'))).toEqual(['pricing']);
    // A name that only contains a service's name is not that service.
    expect(topology.labelPeers(withPeer('pricing-rules-engine'))).toEqual([]);
  });

  it('reads a peer named by its kind as the one service of that kind the other labels point at', () => {
    const stores = new Topology(['cart', 'cassandra-usage', 'cassandra-billing', 'redis-sessions']);
    const peers = (labels: string): string[] => stores.labelPeers(series(`db_client_read_latency_seconds{service="cart",${labels}}`));
    expect(peers('db="redis"')).toEqual(['redis-sessions']);
    expect(peers('db="cassandra",keyspace="usage"')).toEqual(['cassandra-usage']);
    // Two of the kind and nothing to choose between them: the label stays as it is.
    expect(peers('db="cassandra"')).toEqual(['cassandra']);
  });

  it('reads the kind a label names from the label itself: `db="herd"` is the herd database, not the herd registry', () => {
    const herd = new Topology(['tag-ingest', 'herd-db', 'herd-registry']);
    const pool = series('pgxpool_acquired_conns{service="tag-ingest",db="herd"}');
    expect(herd.labelPeers({ ...pool, service: 'tag-ingest' })).toEqual(['herd-db']);
    // A label whose name says nothing of either leaves the two apart.
    expect(herd.labelPeers({ ...series('client_latency_seconds{service="tag-ingest",upstream="herd"}'), service: 'tag-ingest' })).toEqual(['herd']);
  });

  it('reads no peer as the service that watches it: `peer="ravencad"` is not the status page feed `ravencad-status`', () => {
    const cad = new Topology(['alert-dispatch', 'ravencad-status', 'smoke-detect']);
    expect(cad.labelPeers({ ...series('cad_client_request_duration_seconds{service="alert-dispatch",peer="ravencad"}'), service: 'alert-dispatch' })).toEqual(['ravencad']);
    // A service that is an instance of it still is it.
    const db = new Topology(['alert-dispatch', 'ravencad-db']);
    expect(db.labelPeers({ ...series('cad_client_request_duration_seconds{service="alert-dispatch",peer="ravencad"}'), service: 'alert-dispatch' })).toEqual(['ravencad-db']);
  });

  it('reads no peer from a label every series of several services carries: where they run, not whom they call', () => {
    const of = (service: string, id: string): Parameters<Topology['labelPeers']>[0] => ({ ...series(id), service });
    const fleet = [
      of('cart', 'process_cpu_seconds_rate{service="cart",cluster="euw2-prod-1"}'),
      of('cart', 'sms_failure_ratio{service="cart",cluster="euw2-prod-1"}'),
      of('pricing', 'process_cpu_seconds_rate{service="pricing",cluster="euw2-prod-1"}'),
      of('pricing', 'http_requests_per_second{service="pricing",cluster="euw2-prod-1"}'),
      // An Envoy upstream cluster sits on the call series only.
      of('gateway', 'envoy_cluster_upstream_rq_time{service="gateway",cluster="payflow"}'),
      of('gateway', 'process_cpu_seconds_rate{service="gateway"}'),
    ];
    const placed = new Topology(['cart', 'pricing', 'gateway'], fleet);
    expect(placed.labelPeers(fleet[1] as Parameters<Topology['labelPeers']>[0])).toEqual([]);
    expect(placed.externalPeers(fleet[1] as Parameters<Topology['labelPeers']>[0])).toEqual([]);
    expect(placed.labelPeers(fleet[4] as Parameters<Topology['labelPeers']>[0])).toEqual(['payflow']);
  });

  it("reads the other end of a call from OpenTelemetry's, Istio's and Micrometer's label names", () => {
    expect(topology.labelPeers(series('http_client_request_duration_seconds_count{service="cart",server_address="idp.keyforge.example"}'))).toEqual(['idp.keyforge.example']);
    expect(topology.labelPeers(series('istio_requests_total{service="cart",destination_service_name="pricing",response_code="503"}'))).toEqual(['pricing']);
    expect(topology.labelPeers(series('rpc_errors_total{service="cart",peer_service="inventory"}'))).toEqual(['inventory']);
    expect(topology.labelPeers(series('http_client_requests_seconds{service="cart",client_name="api.vendor.example",uri="/v2/x"}'))).toEqual(['api.vendor.example']);
  });
});

describe('replay', () => {
  const use = (id: string, name: string, input: Record<string, unknown>): SessionEvent =>
    ({ type: 'agent.tool_use', id, name, input, processed_at: '' }) as unknown as SessionEvent;
  const result = (id: string, text: string): SessionEvent =>
    ({ type: 'agent.tool_result', id: `r${id}`, tool_use_id: id, content: [{ type: 'text', text }], is_error: false, processed_at: '' }) as unknown as SessionEvent;

  it('answers calls from the log by name and input, whatever the key order', async () => {
    const replay = new Replay([use('a', 'query_metrics', { b: 1, a: 2 }), result('a', '{"summary":"ok"}')], 10);
    const reply = await replay.call('query_metrics', { a: 2, b: 1 });
    expect(reply.json).toEqual({ summary: 'ok' });
    expect(canonical({ b: 1, a: [2, { d: 1, c: 0 }] })).toBe('{"a":[2,{"c":0,"d":1}],"b":1}');
  });

  it('takes a denied call as answered from the denial on, before its error result is logged', async () => {
    const denial = { type: 'user.tool_confirmation', id: 'c1', tool_use_id: 'a', result: 'deny', deny_message: 'not now', processed_at: '' } as unknown as SessionEvent;
    const replay = new Replay([use('a', 'action_rollback', { service: 'cart' }), denial], 10);
    const reply = await replay.call('action_rollback', { service: 'cart' });
    expect(reply).toMatchObject({ isError: true, text: 'not run: not now' });
  });

  it('makes again a call that failed as its turn was interrupted, rather than read the interruption as its answer', async () => {
    const interrupt = { type: 'user.interrupt', id: 'i1', processed_at: '' } as unknown as SessionEvent;
    const cancelled = { ...(result('a', 'describe_bundle was cancelled') as object), is_error: true } as unknown as SessionEvent;
    const idle = { type: 'session.status_idle', id: 's1', stop_reason: { type: 'end_turn' }, processed_at: '' } as unknown as SessionEvent;
    const replay = new Replay([use('a', 'describe_bundle', {}), interrupt, cancelled, idle], 10);
    await expect(replay.call('describe_bundle', {})).rejects.toBeInstanceOf(Pending);
    // A tool's own failure, with no interruption, stays its answer.
    const failed = new Replay([use('a', 'describe_bundle', {}), cancelled], 10);
    expect(await failed.call('describe_bundle', {})).toMatchObject({ isError: true });
  });

  it('stops at the first unanswered call with what was said since the last answer', async () => {
    const replay = new Replay([], 10);
    replay.say('looking');
    const outputs = await replay.call('describe_bundle', {}).then(
      () => [] as BrainOutput[],
      (pending: unknown) => (pending instanceof Pending ? pending.outputs : []),
    );
    expect(outputs).toEqual([
      { kind: 'message', text: 'looking' },
      { kind: 'tool_use', name: 'describe_bundle', input: {} },
    ]);
  });
});

describe('reading tool results', () => {
  const reply = (json: unknown, isError = false): ToolReply => ({ name: 'detect_changes', input: {}, text: JSON.stringify(json), isError, json });

  it('reads a result through its tool\'s schema, and reads nothing from one that does not match it or failed', () => {
    const good = {
      summary: 's',
      series_scanned: 1,
      series_without_changes: 0,
      counters_read_as_rate: 0,
      found: 0,
      earliest_onset: null,
      earliest_worse_onset: null,
      offset: 0,
      change_points: [],
    };
    expect(resultOf('detect_changes', reply(good))).toEqual(good);
    expect(resultOf('detect_changes', reply({ ...good, change_points: [{ series: 'x', onset: '2031-01-01T00:00:00Z', direction: 'sideways' }] }))).toBeNull();
    expect(resultOf('detect_changes', reply(good, true))).toBeNull();
    expect(nextOffset({ truncated: { omitted: 3, next_offset: 7, hint: 'call detect_changes again with offset: 99' } })).toBe(7);
    expect(nextOffset({ truncated: { omitted: 3, next_offset: null, hint: 'call detect_changes again with offset: 99' } })).toBeNull();
  });

  /** A risky edit as the diff reader hands it to the brain, at `patch`. */
  const edit = (patch: string, kind: RiskSignalInfo['kind'], direction: RiskSignalInfo['direction'], factor: number | null): RiskSignalInfo => ({
    kind,
    detail: kind,
    patch,
    code: 'x.go:1',
    direction,
    factor,
    identifiers: [],
    flag: null,
    guardedBy: null,
    oldValue: null,
    newValue: null,
    bounds: null,
    newPrinted: [],
  });

  it('leads with the harmful edit that moved a number furthest, by its factor field', () => {
    const risk = (patch: string, factor: number | null): RiskSignalInfo => edit(patch, 'limit_changed', 'tightened', factor);
    expect(leadingRisk([risk('a', 2), risk('b', 10), risk('c', null)])?.patch).toBe('b');
  });

  it('counts a piece cut smaller as harm, though its number went down like a relaxed setting', () => {
    expect(leadingRisk([edit('relaxed', 'setting_changed', 'decreased', 20), edit('piece', 'batch_shrunk', 'decreased', 3)])?.patch).toBe('piece');
  });
});

describe('correcting a rejected diagnosis', () => {
  const diagnosis: Diagnosis = {
    summary: 's',
    root_cause: { category: 'deploy', service: 'a', change_id: 'deploy-1', description: 'd' },
    confidence: 0.9,
    evidence: [
      { source: 'changes', ref: 'deploy-1', detail: '' },
      { source: 'logs', ref: 'logs/x.log:1', detail: '' },
    ],
    remediation: [],
    timeline: [],
  };

  const problem = (code: VerifierProblem['code'], path: VerifierProblem['path'], expected: VerifierProblem['expected'], message = ''): VerifierProblem => ({
    code,
    path,
    expected,
    got: null,
    message,
  });

  it('applies what the verifier asks for, read from its fields', () => {
    const fixed = corrected(diagnosis, [
      problem('evidence_not_seen', ['evidence', 1, 'ref'], null),
      problem('confidence_uncorroborated', ['confidence'], 0.7),
      problem('service_mismatch', ['root_cause', 'service'], 'b'),
      problem('category_mismatch', ['root_cause', 'category'], ['config']),
    ]);
    expect(fixed?.evidence.map((e) => e.ref)).toEqual(['deploy-1']);
    expect(fixed?.confidence).toBeLessThan(0.7);
    expect(fixed?.root_cause.service).toBe('b');
    expect(fixed?.root_cause.category).toBe('config');
  });

  it('goes by the fields, not the words', () => {
    const fixed = corrected(diagnosis, [problem('service_mismatch', ['root_cause', 'service'], 'b', 'change deploy-1 changed z: set root_cause.service to "z"')]);
    expect(fixed?.root_cause.service).toBe('b');
    expect(corrected(diagnosis, [problem('confidence_too_high', ['confidence'], 0.5, 'lower the confidence to 0.3')])?.confidence).toBe(0.5);
  });

  it('gives up on a claim that cannot be patched, or a rejection without problems to read', () => {
    expect(corrected(diagnosis, [problem('change_after_onset', ['root_cause', 'change_id'], '2026-01-01T10:00:00Z')])).toBeNull();
    expect(corrected(diagnosis, [])).toBeNull();
  });
});

describe('remediation actions', () => {
  const conclusion = {
    kind: 'change',
    category: 'config',
    confidence: 0.9,
    runnerUp: null,
    suspect: { change: { id: 'cfg-7', service: 'payments', type: 'config', at: 0, finishedAt: null, summary: '', diff: null, attributes: {} } } as unknown as Suspect,
  } satisfies Conclusion;
  const step = { action: 'revert_config' as const, target: 'cfg-7', detail: '', risk: 'low' as const };

  it('fills the declared parameters it knows and leaves defaults alone', () => {
    const tool = {
      name: 'action_revert_config',
      description: 'Roll a Helm release back. Remediation action (revert_config); a person must approve each call.',
      input_schema: {
        type: 'object' as const,
        properties: { release: { type: 'string', pattern: '^[a-z0-9-]+$' }, revision: { type: 'integer', default: 0 }, change_id: { type: 'string' } },
        required: ['release'],
      },
    };
    expect(actionCall([tool], step, conclusion)).toEqual({ name: 'action_revert_config', input: { change_id: 'cfg-7', release: 'payments' } });
  });

  it('proposes nothing when a required parameter cannot be filled honestly', () => {
    const tool = {
      name: 'action_revert_config',
      description: 'Remediation action (revert_config)',
      input_schema: { type: 'object' as const, properties: { release: { type: 'string' }, cluster: { type: 'string' } }, required: ['release', 'cluster'] },
    };
    expect(actionCall([tool], step, conclusion)).toBeNull();
    const other = { ...tool, name: 'action_scale', description: 'Remediation action (scale)', input_schema: { type: 'object' as const } };
    expect(actionCall([other], step, conclusion)).toBeNull();
  });
});

describe('growth', () => {
  it('reads a count that climbs from nothing (connections in use) as growth, not as no answer', () => {
    const points = Array.from({ length: 40 }, (_, i) => ({ t: i * 60_000, v: i < 4 ? 0 : i - 3 }));
    const grown = growthOf(points);
    expect(grown?.share).toBeGreaterThan(5);
    expect(grown?.steady).toBeGreaterThanOrEqual(0.7);
    expect(growthOf(Array.from({ length: 40 }, (_, i) => ({ t: i * 60_000, v: 0 })))).toBeNull();
  });
});
