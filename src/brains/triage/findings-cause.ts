// What each finding about a cause that is not a change weighs and why: a platform failure,
// a dependency, load beyond capacity. Part of the one scoring model (model.ts).
import type { FindingRule } from './model.js';

export const CAUSE_FINDINGS = {
  platform_failure_logged: {
    weight: 3,
    specific: true,
    reason: 'the logs name a platform failure (a full disk, an expired certificate, a failed lookup...) that began with the incident',
  },
  platform_failure_measured: {
    weight: 3,
    specific: true,
    reason: 'one machine\'s disk waits grew tenfold or more with the incident while the same series of its siblings held: a failing device under that machine, not load that every machine shares',
  },
  platform_metric_moved: {
    weight: 1,
    specific: false,
    reason: 'a metric of the service the failure is about moved with it',
  },
  runs_on_failed_host: {
    weight: 1,
    specific: true,
    reason: 'the service runs on the host whose own metrics or platform lines show the failure: the failure is its, not that of the services that log its effects',
  },
  peer_degraded_first: {
    weight: 3,
    specific: true,
    reason: 'calls to a dependency outside the bundle degraded first while the caller\'s other dependencies stayed normal',
  },
  peer_answered_hollow: {
    weight: 3,
    specific: true,
    reason:
      'calls to one party outside the caller came back several times faster as the incident began, at their usual pace, while the same calls to its other parties held, and the new log lines name that party: it answered without doing the work (an empty or partial answer that reads as success), which no caller can make it do',
  },
  peer_itself_normal: {
    weight: -2,
    specific: false,
    reason: 'a dependency whose own series, read around the page, all held level did not degrade: what degraded is the way to it, or the caller',
  },
  peer_failed_itself: {
    weight: 1,
    specific: true,
    reason: 'the dependency\'s own series (a probe of it, its own errors) failed as the paged service\'s calls to it did: the failure is in it, not in how it is called',
  },
  logs_blame_peer: { weight: 1, specific: true, reason: 'the new errors in the logs name that dependency' },
  callers_fail_alike: {
    weight: 2,
    specific: true,
    reason: 'another caller, which no change touched, began failing its calls to the same dependency at the same time: what the callers share is the dependency, and a change of one caller cannot make the other fail',
  },
  load_surge: {
    weight: 2,
    specific: false,
    reason: 'demand grew at the onset from more than one source: load, not one caller\'s flood',
  },
  misses_not_demand: {
    weight: -3,
    specific: false,
    reason: 'a cache in front began missing as the load rose, and the load grew no more than its misses: callers asked no more than before, each request sent more work behind the cache; that is what changed, not demand',
  },
  served_less: {
    weight: -3,
    specific: false,
    reason: 'the service that ran out of room completed under a third of the work it did before, as it saturated: load beyond capacity keeps a service at its most, so this is the service failing (a disk, a lock, a crash loop), not one overrun',
  },
  load_handled_before: {
    weight: -3,
    specific: false,
    reason: 'the same demand reached nearly today\'s level earlier in the window and the service that ran out of room took it then: the load alone does not explain it, something changed in what each unit of it costs',
  },
  waits_on_peer: {
    weight: -3,
    specific: false,
    reason: 'the service that ran out of room had taken the grown load for a while, and filled only as its calls to a party outside the bundle slowed or failed: its room went to waiting on that party, which is the party failing, not demand beyond capacity',
  },
  filled_under_held_load: {
    weight: -3,
    specific: false,
    reason: 'the service that ran out of room had taken the grown load, well short of full, for a while before it filled, and the load had not grown since: demand that held level is not what filled it; each unit of work took longer (a disk, a lock, something it waits on)',
  },
  refused_at_limit: {
    weight: 1,
    specific: true,
    reason: 'the service stood near its declared limit before and refused what came beyond it as it pinned there: demand grown into a cap, the day\'s curve a little higher than before',
  },
  queued_beyond_limit: {
    weight: 1,
    specific: true,
    reason: 'what the service was asked for went beyond the maximum declared for it (an autoscaler wanting more than it may have) as its queue grew, each unit of work taking no longer: demand beyond the room it is allowed, queued rather than refused',
  },
  room_to_spare: {
    weight: -3,
    specific: false,
    reason: 'the only sign of the service running out of room is a busy share that rose to under half its ceiling: it was busier, with room to spare, so load beyond its capacity is not what broke it',
  },
  service_saturated: {
    weight: 2,
    specific: true,
    reason: 'the service the load reached ran out of room (a busy ratio at its ceiling, work piling up)',
  },
  saturation_logged: { weight: 1, specific: true, reason: 'its logs say it could not keep up' },
} satisfies Record<string, FindingRule>;
