// A config a service reads only when it starts (a ConfigMap, a file read at boot): nothing
// moves when the config is changed, and the next restart of the service puts it into effect.
// That restart is often a release whose own diff shows nothing that could harm (a library bump),
// and it is the release that the timing points at. An on-call engineer asks what the restart
// loaded: the config is the change, and the release only its occasion.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import type { ChangeInfo } from './read.js';
import { effectWindowMs } from './support.js';

/** Change types that restart the service they name. */
const RESTARTS = new Set(['deploy', 'rollback']);

function moved(c: Case, service: string, from: number, to: number): boolean {
  return c.movements.some((m) => m.info.service === service && m.onset >= from && m.onset <= to);
}

/**
 * Config changes that took effect at a later restart of their service, each with that restart:
 * the config has a risky edit and its service showed nothing when it was made; the restart
 * (before the onset) has no risky edit of its own, and its service moved as it rolled out.
 */
export function appliedAtRestart(c: Case, episode: Episode, slackMs: number): Map<string, ChangeInfo> {
  const applied = new Map<string, ChangeInfo>();
  for (const config of c.changes) {
    const service = config.service;
    if (config.type !== 'config' || service === null || (c.diffs.get(config.id)?.riskSignals.length ?? 0) === 0) continue;
    const quietUntil = config.at + effectWindowMs(config);
    if (moved(c, service, config.at - slackMs, quietUntil)) continue;
    const restart = c.changes
      .filter((x) => x.service === service && RESTARTS.has(x.type) && x.at > quietUntil && x.at <= episode.onset + slackMs)
      .sort((a, b) => a.at - b.at)[0];
    if (restart === undefined || (c.diffs.get(restart.id)?.riskSignals.length ?? 0) > 0) continue;
    if (!moved(c, service, restart.at - slackMs, restart.at + effectWindowMs(restart))) continue;
    applied.set(config.id, restart);
  }
  return applied;
}
