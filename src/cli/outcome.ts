// The exit code of a session's outcome (README "Exit codes"): diagnosed 0, inconclusive 3,
// failed 4, still running when this command's time ran out 5, the session's budget spent 6. This command being stopped
// (Ctrl-C, its own --timeout) is decided by the command; a session that waits for a person,
// or whose turn an earlier run or another terminal interrupted, is answered by what the
// investigation found.
import { EXIT, type ExitCode } from '../errors.js';
import { outcomeOf, type SessionView } from '../render/index.js';

export function exitCodeOf(view: SessionView, timedOut: boolean): ExitCode {
  if (timedOut) return EXIT.timeout;
  const outcome = outcomeOf(view);
  switch (outcome) {
    case 'diagnosed':
      return EXIT.ok;
    case 'inconclusive':
    case 'not_started':
      return EXIT.inconclusive;
    case 'failed':
      return EXIT.runtime;
    case 'interrupted':
    case 'timed_out':
    case 'waiting_for_approval':
      return view.diagnosis && view.diagnosis.value.root_cause.category !== 'unknown' ? EXIT.ok : EXIT.inconclusive;
    case 'budget_spent':
      return EXIT.budget;
    case 'running':
      return EXIT.timeout;
  }
}
