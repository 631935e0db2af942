// A change that narrowed who may connect to a service (an allow rule that lost an address
// range) acts the moment it applies, and only on the clients in that range: the served
// service's own metrics barely move (its traffic dips by their share), so no symptom of its
// own puts it on the path. What does is the clients: their logs begin, right then, to report
// calls that time out or are refused. Connection failures that began within minutes of the
// rule, in a service tied to the page, which name the changed service or no service at all,
// put the change on the path.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import type { LogSymptom } from './log-symptoms.js';
import type { PathLink } from './path.js';
import { templateText } from './read.js';
import type { ChangeInfo } from './read.js';

/** How a refused or unanswered connection reads in a client's log. */
const CONNECTION_FAILED = /\b(?:i\/o timeout|connect(?:ion)?\s*(?:timed?\s*out|timeout|refused|reset)|dial tcp|no route to host|(?:host|network) (?:is )?unreachable|econnrefused|etimedout|ehostunreach|connecttimeout|connection (?:was )?(?:reset|closed by peer)|reset by peer)\b/i;
/** The failures begin this soon after the rule applies: a rule acts at once. */
const AT_ONCE_MS = 10 * 60_000;

/** The client failures that began as the change's narrowed rule applied, if any. */
export function refusedClients(c: Case, episode: Episode, change: ChangeInfo, slackMs: number): LogSymptom | null {
  const read = c.diffs.get(change.id);
  if (read === undefined || !read.riskSignals.some((r) => r.kind === 'access_narrowed')) return null;
  const tied = (service: string): boolean => service === c.paged || episode.linked.has(service);
  return (
    episode.logSymptoms.find(
      (s) =>
        tied(s.service) &&
        s.onset >= change.at - slackMs &&
        s.onset <= change.at + AT_ONCE_MS &&
        CONNECTION_FAILED.test(templateText(s.template)) &&
        (s.peers.size === 0 || (change.service !== null && s.peers.has(change.service))),
    ) ?? null
  );
}

/** The narrowed rule's path: its clients' connections failing from when it applied. */
export function accessPath(c: Case, episode: Episode, change: ChangeInfo, slackMs: number): PathLink | null {
  const refused = refusedClients(c, episode, change, slackMs);
  if (refused === null) return null;
  return {
    reason: `${refused.service}'s connections ${change.service === null ? '' : `to ${change.service} `}began to fail at ${iso(refused.onset)}, as ${change.id} narrowed who may connect ("${refused.template.template}", ${refused.template.example})`,
    movement: null,
    log: refused,
  };
}
