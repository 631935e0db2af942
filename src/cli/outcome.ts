// The exit code of a finished session: diagnosed 0, inconclusive 3, failed 4, still
// running when time ran out 5 (README "Exit codes").
import { EXIT, type ExitCode } from '../errors.js';
import { outcomeOf, type SessionView } from '../render/index.js';

export function exitCodeOf(view: SessionView, timedOut: boolean): ExitCode {
  if (timedOut) return EXIT.timeout;
  switch (outcomeOf(view)) {
    case 'diagnosed':
      return EXIT.ok;
    case 'inconclusive':
      return EXIT.inconclusive;
    case 'failed':
      return EXIT.runtime;
    case 'running':
      return EXIT.timeout;
  }
}
