// What each finding about a change weighs and why: when it took effect, where its service
// sits, what its diff does, what the telemetry did right after it and when it was undone.
// Part of the one scoring model (model.ts), kept apart so each table reads as one idea.
import type { FindingRule } from './model.js';

export const CHANGE_FINDINGS = {
  // When a change took effect, against the onset of the symptoms.
  timing_at_onset: {
    weight: 3,
    specific: false,
    reason: 'a change that took effect within five minutes of the onset is the first thing an on-call engineer suspects, but timing alone is correlation',
  },
  timing_close: { weight: 2, specific: false, reason: 'within a quarter of an hour: still close enough to be the trigger' },
  timing_near: { weight: 1, specific: false, reason: 'within the hour: possible for a slow effect, weak on its own' },
  timing_far: { weight: 0, specific: false, reason: 'more than an hour before: timing says nothing either way' },
  rollout_spans_onset: {
    weight: 3,
    specific: false,
    reason: 'its rollout was still going on when the symptoms began, so its effect time is the onset itself',
  },
  ran_at_onset: {
    weight: 3,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason:
      'its service is a job that began its run as the symptoms began, and its edit makes each run costlier (a query no index serves, a call per item): the change did nothing until the job next ran, which answers the wait',
  },
  lock_waits_began: {
    weight: 2,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason: 'its edit makes work wait on a lock, and the count of lock waits rose from none as it took effect: the queue its lock makes was there from the start, and the load that later found its limit only lengthened it',
  },
  load_came: {
    weight: 1,
    specific: false,
    explainsWait: true,
    reason: 'its edit costs most under load (a lock held across a remote call, a call per item), and the traffic at the onset stood several times its level when it took effect: the crowd it fails under came, which answers the wait',
  },
  wait_explained: {
    weight: 3,
    specific: false,
    reason: 'its effect was seen from the moment it took effect (a leak climbing, each request doing more work, a schedule firing), so the wait until the symptoms is explained and it counts as timely',
  },
  // Where its service sits.
  on_path: {
    weight: 2,
    specific: false,
    reason: 'its service is the paged one, or degraded first, or is the only path of the paged service that degraded',
  },
  // What its diff (or the code its flag turns on) does.
  risky_edit: {
    weight: 2,
    specific: true,
    mechanism: true,
    reason: 'its diff shows an edit that can produce the symptom (a limit cut, a cache removed, retries added...): a mechanism',
  },
  flag_turns_on_code: {
    weight: 2,
    specific: true,
    mechanism: true,
    reason: 'the flag it switched turns on a code path a diff shows: the flag is how that code reached production',
  },
  no_risky_edit: {
    weight: -1,
    specific: false,
    reason: 'a deploy whose diff shows nothing that could produce the symptom, or a config change whose settings were all read as harmless, has only its timing',
  },
  promises_no_change: {
    weight: -1,
    specific: false,
    reason: 'its description promises no behaviour change (docs, wording, a refactor); possible to be wrong, so it only leans against',
  },
  // What the telemetry did right after it.
  own_service_worse: {
    weight: 1,
    specific: true,
    reason: 'a service other than the paged one got worse right after its own change: that service reacted to it',
  },
  output_rescaled: {
    weight: 2,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason: 'its diff changes how a value is converted, and the value its service reports stepped far off its range the moment it took effect: the mismatch is measured, not only possible, and whatever reads that value was misled from then on',
  },
  symptom_in_new_path: {
    weight: 3,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason: 'the symptom is in a series of its service first recorded the moment it took effect: the failing work runs the path it added, whatever load found it later',
  },
  work_stopped: {
    weight: 2,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason: 'a job its service did fell to nothing the moment it took effect and stayed there while the service kept taking work: it stopped that job, and what the job used to clear piled up until it showed',
  },
  new_work: {
    weight: 1,
    specific: true,
    reason: 'a series of its service (or of a service it calls, counting its calls) rose from nothing the moment it took effect: work only it can have started',
  },
  work_per_unit_rose: {
    weight: 2,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason: 'work per request (queries, calls, bytes) stepped up on its service as it took effect: a change in what each request does, which demand alone cannot cause',
  },
  grows_since_change: {
    weight: 3,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason: 'the memory of the instances it started climbed steadily while the ones before held flat: a leak it shipped, which answers why the symptom came so long after it',
  },
  headroom_used: {
    weight: 3,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason: 'the resource that ran out at the onset stepped up as it took effect while the traffic held: it used up the room (a ceiling cut, heavier work), and the load that needed that room came later, which answers the wait',
  },
  limit_quoted: {
    weight: 3,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason: 'the errors that came with the incident print the very number the change set a limit to: the work is refused at its limit, and only work over it fails, which answers a wait until such work came',
  },
  errors_since_change: {
    weight: 3,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason: 'its own service began failing a few requests the moment it took effect, at level traffic, and the same errors grew into the incident later: the defect was there from the start, and the wait is how long it took most requests to meet it',
  },
  reapplies_reverted: {
    weight: 2,
    specific: true,
    reason: 'it makes again an edit that an earlier change made and a rollback undid: whatever that rollback was for comes back with it',
  },
  reconfigured_failed_platform: {
    weight: 4,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason: 'the platform failed, under its service, in the very resource the change reconfigured (its volumes, its network, its nodes): the failure is what the change made of the platform, however long the load took to find it',
  },
  follows_rollout: {
    weight: 3,
    specific: true,
    mechanism: true,
    reason: 'the symptoms stepped up at two or more stages of its rollout: a staircase that lines up with the rollout is its effect, whichever stage the onset fell on',
  },
  acts_on_schedule: {
    weight: 2,
    specific: true,
    mechanism: true,
    reason: 'it moved a schedule that fired when the symptoms began: the work it scheduled is the mechanism, and its firing time answers why the change came earlier',
  },
  new_errors_after: {
    weight: 1,
    specific: true,
    reason: 'new errors began in its logs (or the paged service\'s) right after it, away from the paged service itself',
  },
  exhausted_after: {
    weight: 2,
    specific: true,
    mechanism: true,
    reason: 'its own service began to run out of memory or disk right after it took effect: what the new version allocates or writes, a mechanism the platform does not explain',
  },
  logs_name_edit: {
    weight: 2,
    specific: true,
    mechanism: true,
    reason: 'the new warnings and errors name what its diff or flag touches: the logs point at its edit, not only at its time',
  },
  edit_named_at_onset: {
    weight: 2,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason:
      'the warnings and errors that name what its risky edit touches began at the onset, long after it took effect: the edit did nothing visible until the conditions it fails under came (a peak, a backlog, a batch that grew), and the failures say so by name, which answers the wait',
  },
  reshaped_downstream: {
    weight: 2,
    specific: true,
    mechanism: true,
    reason:
      'the parts of a stream it writes (partitions, shards) changed shape as it took effect while their sum held, some to nothing and some severalfold: demand moves every part the same way, so only how it spreads its output can have done that',
  },
  busiest_part_behind: {
    weight: 1,
    specific: true,
    explainsWait: true,
    reason:
      'the part of the stream it sent the most to began to fall behind at the onset on its own, while the parts it emptied kept up: the day grew until that one part carried more than one consumer takes, which answers the wait between the change and the page',
  },
  lifetime_ran_out: {
    weight: 3,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason:
      'it shortened a lifetime (a token, a session), and the expiry errors began exactly that lifetime after it took effect or after a client restarted and fetched anew: the clock says what expired and when it was issued, which answers the wait',
  },
  errors_in_new_code: {
    // Above a risky edit or a named identifier (2): those say the change could act; this shows the failing requests running its code.
    weight: 4,
    specific: true,
    mechanism: true,
    reason:
      'the errors that began with the incident are thrown from a file it created: the failing requests run its new code, which is a mechanism, whatever its diff looks like; load that only breaks that code is its cost at peak, not a lack of capacity',
  },
  floods_paged: {
    weight: 2,
    specific: true,
    mechanism: true,
    reason: 'the paged service\'s traffic from its service rose as it took effect while its other callers\' held: the load that reached the paged service is its doing, not demand',
  },
  only_new_version_sick: {
    weight: 3,
    specific: true,
    mechanism: true,
    reason: 'broken down by version, only the pods it started show the symptom while the old ones kept their level: the new code is what fails, under the same traffic',
  },
  old_version_sick: {
    weight: -3,
    specific: false,
    reason: 'broken down by version, the pods still running the old code were as sick as the new ones: what holds them up is not its new code (unless it harms what both share, which needs a mechanism of its own)',
  },
  reserve_ran_dry: {
    weight: 2,
    specific: true,
    explainsWait: true,
    reason: 'capacity its service was lent (CPU credits, a burst balance) drained with the load and ran dry as the incident began: the change that put it there waited for that load, which answers why the symptom came so long after it',
  },
  refills_stopped: {
    weight: 3,
    specific: true,
    mechanism: true,
    explainsWait: true,
    reason: 'its service\'s free space, freed again and again before it (a sawtooth of work and cleanup), was never freed once the work started before it had finished, and fell until it ran dry as the incident began: it stopped what freed the space, and the disk that filled is its effect, not the machine\'s failure',
  },
  ceiling_lowered: {
    weight: 2,
    specific: true,
    explainsWait: true,
    reason: 'before it the service\'s work went well above the level where, at the incident, it stopped flat: it took room away (a throughput, a quota, a pool), and the symptoms waited for demand to reach the new ceiling',
  },
  // What happened when it was undone.
  undo_eased: {
    weight: 2,
    specific: true,
    mechanism: true,
    // However long it waited, undoing it is what ended the symptoms: the wait needs no other answer.
    explainsWait: true,
    reason: 'undoing it was an experiment the responders already ran, and the symptoms eased',
  },
  undo_no_help: {
    weight: -2,
    specific: false,
    reason: 'undoing it did not ease the symptoms: the experiment says it is not what holds them up',
  },
  undo_ended: {
    weight: 1,
    specific: true,
    reason: 'after its undo the symptoms went all the way back to normal, judged before any other mitigation: the experiment ended the incident, which easing part of the way does not show',
  },
  outlived_by_recovery: {
    weight: -3,
    specific: false,
    reason: 'the symptoms eased when another change was undone, while this one was still in effect: whatever it did, it is not what held them up',
  },
  // Against it, from the rest of the case.
  sibling_spared: {
    weight: -3,
    specific: false,
    reason: 'the paged service failed its calls to one party only while the same calls to its other parties held: its own new code serves them all alike, so what failed is the party (unless the change names it)',
  },
  later_change_closer: {
    weight: -1,
    specific: false,
    reason: 'a later suspect sits closer to the onset; the earlier change must explain the wait',
  },
  // Looked up once the verdict is reached, for the diagnosis to cite.
  consequence_logged: {
    weight: 0,
    specific: false,
    reason: 'found after the verdict, to give the diagnosis a log line to cite: weighing it would count the same mechanism twice',
  },
  // Said for the record, weighed elsewhere (the paged service's own symptom right after a change is its timing again).
  context: { weight: 0, specific: false, reason: 'an observation worth reporting that the other findings already weigh' },
} satisfies Record<string, FindingRule>;
