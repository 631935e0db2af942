// The verdict between a standing change and load beyond capacity: load wins only where no
// change explains it, and a change whose undoing eased the symptoms explains it (demand does
// not fall back when a setting is reverted), as does one after which its service logged new
// errors before the surge began (those errors are not the load's).
import { describe, expect, it } from 'vitest';
import type { Cause } from '../../src/brains/triage/causes.js';
import { decide } from '../../src/brains/triage/decide.js';
import { finding, type FindingKind } from '../../src/brains/triage/model.js';
import type { Suspect } from '../../src/brains/triage/suspects.js';
import { suspectWith } from './helpers.js';

const change = { id: 'cfg-902', service: 'sync-scheduler', type: 'config', summary: 'hourly refresh' };

function suspect(kinds: FindingKind[]): Suspect {
  // What the telemetry showed is cited by reference, so the verdict can be corroborated.
  const cited = (kind: FindingKind): boolean => kind === 'own_service_worse' || kind === 'undo_eased';
  return suspectWith(change, kinds.map((kind) => finding(kind, kind, cited(kind) ? [{ source: 'metrics', ref: 'x', detail: kind }] : [])));
}

const load: Cause = {
  category: 'capacity',
  service: 'sync-scheduler',
  statement: 'load beyond what sync-scheduler can take',
  findings: [finding('load_surge', 'load'), finding('service_saturated', 'full'), finding('saturation_logged', 'logged')],
  signature: null,
  surge: 6,
  ceiling: true,
};

describe('a change against load beyond capacity', () => {
  it('loses to the load when nothing ties the load to it', () => {
    const verdict = decide([suspect(['timing_at_onset', 'on_path', 'own_service_worse'])], [load], [suspectWith(change, []).change], true);
    expect(verdict.kind).toBe('cause');
  });

  it('wins when its service logged new errors right after it took effect, before the surge began', () => {
    const erring = (errorsFrom: number): Suspect => ({ ...suspect(['timing_at_onset', 'on_path', 'own_service_worse', 'new_errors_after']), errorsFrom });
    expect(decide([erring(1_000)], [{ ...load, risesFrom: 5_000 }], [suspectWith(change, []).change], true).kind).toBe('change');
    // Errors that began with the surge are the load's.
    expect(decide([erring(6_000)], [{ ...load, risesFrom: 5_000 }], [suspectWith(change, []).change], true).kind).toBe('cause');
  });

  it('wins when undoing it eased the symptoms', () => {
    const verdict = decide([suspect(['timing_at_onset', 'on_path', 'own_service_worse', 'undo_eased'])], [load], [suspectWith(change, []).change], true);
    expect(verdict.kind).toBe('change');
  });

  it('wins when it made each unit of work heavier as it took effect: the load needed the room it took', () => {
    const heavier = { ...suspect(['wait_explained', 'on_path', 'own_service_worse', 'work_per_unit_rose']), heavier: true };
    expect(decide([heavier], [{ ...load, service: 'sync-db' }], [heavier.change], true).kind).toBe('change');
  });

  it('loses to a crowd that came before the cache in front began missing: new visitors miss', () => {
    // A flag after which a cache in front missed more, a minute after an on-sale crowd twenty-six times the usual began.
    const missing = (missesFrom: number): Suspect => ({ ...suspect(['timing_at_onset', 'on_path', 'own_service_worse', 'work_per_unit_rose']), addsLoad: true, loadBound: null, heavier: false, missesFrom });
    const crowd: Cause = { ...load, service: 'seat-map', surge: 26, risesFrom: 60_000 };
    expect(decide([missing(120_000)], [crowd], [missing(120_000).change], true).kind).toBe('cause');
    // The cache broken before the crowd came: its misses multiplied the crowd.
    expect(decide([missing(0)], [crowd], [missing(0).change], true).kind).toBe('change');
  });
});

describe('a platform failure against load, scored the same', () => {
  const clock: Cause = {
    category: 'infrastructure',
    service: 'submitter',
    statement: 'the clock of submitter is off',
    findings: [finding('platform_failure_logged', 'skewed'), finding('runs_on_failed_host', 'node'), finding('platform_metric_moved', 'offset')],
    signature: 'clock',
    surge: null,
  };
  const modest: Cause = { ...load, service: 'payroll-api', surge: 1.5 };

  it('is named when the load grew by less than a sharp surge', () => {
    const verdict = decide([], [clock, modest], [], true);
    expect(verdict.kind === 'cause' ? verdict.cause.category : verdict.kind).toBe('infrastructure');
  });

  it('ties with a sharp surge, and the verdict is unknown', () => {
    const verdict = decide([], [{ ...load, surge: 6 }, clock], [], true);
    expect(verdict.kind).toBe('unknown');
  });
});

describe('two changes at the same score', () => {
  const edited = suspectWith({ id: 'rel-8124', service: 'trip-service', type: 'deploy', summary: 'verify tokens per request' }, [
    finding('timing_near', 'near'),
    finding('on_path', 'path'),
    finding('risky_edit', 'cache removed', [{ source: 'diffs', ref: 'diffs/rel-8124.patch:12', detail: 'cache removed' }]),
    finding('new_work', 'calls from nothing', [{ source: 'metrics', ref: 'x', detail: 'new calls' }]),
    finding('later_change_closer', 'closer'),
  ]);
  const timed = suspectWith({ id: 'cfg-4411', service: 'unlock-api', type: 'config', summary: 'push text' }, [finding('timing_at_onset', 'at onset'), finding('on_path', 'paged')], {
    change: { id: 'cfg-4411', service: 'unlock-api', type: 'config', summary: 'push text', at: 10, finishedAt: null, attributes: {} } as unknown as Suspect['change'],
  });

  it('names the one with a mechanism when the other has timing and place alone', () => {
    const verdict = decide([edited, timed], [], [edited.change, timed.change], true);
    expect(verdict.kind === 'change' ? verdict.suspect.change.id : verdict.kind).toBe('rel-8124');
  });

  it('stays unknown between two with mechanisms', () => {
    const other = suspectWith({ id: 'rel-9', service: 'unlock-api', type: 'deploy', summary: 'x' }, [
      finding('timing_at_onset', 'at onset'),
      finding('on_path', 'paged'),
      finding('logs_name_edit', 'named', [{ source: 'logs', ref: 'logs/a.log:3', detail: 'named' }]),
      finding('later_change_closer', 'closer'),
      finding('no_risky_edit', 'none'),
    ]);
    const verdict = decide([edited, other], [], [edited.change, other.change], true);
    expect(verdict.kind).toBe('unknown');
  });
});

describe('a change against a platform failure on another service', () => {
  // A lease service's TTL edited seven minutes before the onset, against one node whose clock
  // ran off and whose pods alone fail: the edit could act, the failure is seen acting.
  const edited = suspectWith({ id: 'rc-7793', service: 'lease-api', type: 'config', summary: 'lease TTL 90s -> 60s' }, [
    finding('timing_at_onset', 'at onset'),
    finding('on_path', 'path'),
    finding('risky_edit', 'ttl shortened', [{ source: 'diffs', ref: 'diffs/rc-7793.patch:4', detail: 'ttl shortened' }]),
  ]);
  const host: Cause = {
    category: 'infrastructure',
    service: 'transcode-worker',
    statement: 'the node under transcode-worker failed',
    findings: [finding('platform_failure_logged', 'clock unsynchronised'), finding('runs_on_failed_host', 'on the node'), finding('platform_metric_moved', 'offset')],
    signature: 'clock',
    surge: null,
    ceiling: false,
  };

  it('loses to the failure when its case is its timing, its place and one edit', () => {
    const verdict = decide([edited], [host], [edited.change], true);
    expect(verdict.kind === 'cause' ? verdict.cause.category : verdict.kind).toBe('infrastructure');
  });

  it('wins when the failure is on its own service', () => {
    const verdict = decide([edited], [{ ...host, service: 'lease-api' }], [edited.change], true);
    expect(verdict.kind === 'change' ? verdict.suspect.change.id : verdict.kind).toBe('rc-7793');
  });
});

describe('two changes too close to tell apart, and load that ran out of room', () => {
  // A volume's provisioned IOPS cut hours before a nightly batch, and the batch's own setting
  // changed just before it ran: the load ran out of the database's room, and only one of the
  // two touched that room.
  const db: Cause = { ...load, service: 'claims-db', statement: 'load beyond what claims-db can take', surge: 1.5 };
  const cited = [{ source: 'metrics' as const, ref: 'x', detail: 'x' }];
  const cut = suspectWith(
    { id: 'infra-61', service: 'claims-db', type: 'infra', summary: 'data volume to a cheaper class' },
    [finding('wait_explained', 'waited'), finding('on_path', 'degraded', cited), finding('risky_edit', 'iops tightened 16000 → 3000', cited), finding('headroom_used', 'used the room', cited)],
    { harmful: true, risky: true },
  );
  const batch = suspectWith(
    { id: 'cfg-70', service: 'payout-batch', type: 'config', summary: 'skip a review step' },
    [finding('timing_at_onset', 'at the onset'), finding('acts_on_schedule', 'ran', cited), finding('on_path', 'paged', cited), finding('risky_edit', 'a switch flipped', cited)],
    { risky: true },
  );

  it('names the one that cut the room of the service that ran out', () => {
    const verdict = decide([batch, cut], [db], [cut.change, batch.change], true);
    expect(verdict.kind === 'change' ? verdict.suspect.change.id : verdict.kind).toBe('infra-61');
  });

  it('is the load when neither touched that service', () => {
    const elsewhere = { ...cut, change: { ...cut.change, service: 'claims-cache' } };
    const verdict = decide([batch, elsewhere], [db], [elsewhere.change, batch.change], true);
    expect(verdict.kind === 'cause' ? verdict.cause.category : verdict.kind).toBe('capacity');
  });
});

describe('a change of one caller against a dependency its callers failed alike', () => {
  const sender = { id: 'rel-sender-39', service: 'filing-sender', type: 'deploy', summary: 'HTTP/2 and a larger pool' };
  const standing = (kinds: FindingKind[]): Suspect =>
    suspectWith(sender, kinds.map((kind) => finding(kind, kind, kind === 'risky_edit' ? [{ source: 'diffs', ref: 'client.go', detail: kind }] : [])));
  const registry = (alike: boolean): Cause => ({
    category: 'dependency',
    service: 'permit-registry',
    statement: 'permit-registry, a dependency with no change of its own, degraded',
    findings: [finding('peer_degraded_first', 'calls degraded'), ...(alike ? [finding('callers_fail_alike', 'the desk failed alike')] : [])],
    signature: null,
    surge: null,
    ...(alike ? { callers: ['filing-sender', 'harbour-desk'] } : {}),
  });
  const strong = ['rollout_spans_onset', 'on_path', 'risky_edit', 'own_service_worse'] as FindingKind[];

  it('loses to the dependency when a caller no change touched failed alike', () => {
    const verdict = decide([standing(strong)], [registry(true)], [suspectWith(sender, []).change], true);
    expect(verdict.kind).toBe('cause');
  });

  it('stands when only its own calls failed', () => {
    const verdict = decide([standing(strong)], [registry(false)], [suspectWith(sender, []).change], true);
    expect(verdict.kind).toBe('change');
  });

  it('stands when undoing it eased the symptoms', () => {
    const verdict = decide([standing([...strong, 'undo_eased'])], [registry(true)], [suspectWith(sender, []).change], true);
    expect(verdict.kind).toBe('change');
  });
});
