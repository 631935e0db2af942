// The header over the live part of the screen: what incident this is and how the
// session is doing (its outcome, what it waits on, elapsed time, tokens and cost).
import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { usageFacts, waitingOf } from '../../render/activity.js';
import { elapsedMs } from '../../render/fold.js';
import { formatDuration, stripControl } from '../../render/format.js';
import { outcomeLabel, outcomeOf } from '../../render/outcome.js';
import type { SessionInfo, SessionView } from '../../render/view.js';
import { useColour } from '../contexts/settings-context.js';
import { useUiState } from '../contexts/ui-state-context.js';
import { useTicker } from '../hooks/use-ticker.js';
import type { StreamState } from '../state/ui-reducer.js';
import { Spinner } from './spinner.js';

type Tone = 'green' | 'yellow' | 'red' | 'cyan' | 'gray';

export interface Status {
  text: string;
  tone: Tone;
  /** Something is being waited on: a spinner shows it is not stuck. */
  spinning: boolean;
}

/** A wait shorter than this is not worth a word (the offline engine's steps take milliseconds). */
const SHOWN_WAIT_MS = 1000;

const OUTCOME_TONE = {
  diagnosed: 'green',
  inconclusive: 'yellow',
  waiting_for_approval: 'yellow',
  timed_out: 'yellow',
  budget_spent: 'yellow',
  failed: 'red',
  interrupted: 'yellow',
  running: 'cyan',
  not_started: 'gray',
} as const;

/**
 * The status line: the connection's trouble first (only the terminal knows it), then the
 * session's outcome in the words every other surface uses, and while it runs what it waits on.
 */
export function statusOf(view: SessionView, stream: StreamState, interrupting: boolean, nowMs: number): Status {
  const plain = (text: string, tone: Tone): Status => ({ text, tone, spinning: false });
  if (stream === 'failed') return plain('disconnected', 'red');
  if (stream === 'connecting') return plain('connecting', 'gray');
  if (stream === 'reconnecting') return plain('runtime unreachable, retrying', 'yellow');
  if (view.status === 'deleted') return plain('deleted', 'red');
  if (view.pendingApprovals.length > 0) return plain(outcomeLabel('waiting_for_approval'), 'yellow');
  if (interrupting) return { text: 'interrupting', tone: 'yellow', spinning: true };
  const outcome = outcomeOf(view);
  if (outcome !== 'running') return plain(outcomeLabel(outcome), OUTCOME_TONE[outcome]);
  if (view.status === 'rescheduling') return { text: 'rescheduling', tone: 'yellow', spinning: true };
  const waiting = waitingOf(view, nowMs);
  if (waiting?.retrying) return { text: waiting.text, tone: 'yellow', spinning: true };
  if (waiting && waiting.elapsedMs >= SHOWN_WAIT_MS) return { text: `${waiting.text} ${formatDuration(waiting.elapsedMs)}`, tone: 'cyan', spinning: true };
  return plain(view.thinking ? 'thinking' : outcomeLabel('running'), 'cyan');
}

function titleLine(info: SessionInfo, view: SessionView): string {
  const title = view.title ?? info.title ?? 'untitled incident';
  return [title, info.service, info.severity].filter((part): part is string => Boolean(part)).map((part) => stripControl(part, true)).join(' · ');
}

export function Header(): JSX.Element {
  const { info, view, stream, interrupting } = useUiState();
  const colour = useColour();
  const moving = view.status === 'running' || view.status === 'rescheduling';
  const now = useTicker(1000, moving);
  const status = statusOf(view, stream, interrupting, now);
  const elapsed = elapsedMs(view, now, info.createdAt);
  // Tokens and cost only for a brain that uses them: the offline engine has none to count.
  const facts = [elapsed === null ? null : formatDuration(elapsed), ...usageFacts(view.usage)].filter((part): part is string => part !== null);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {titleLine(info, view)}
      </Text>
      <Text wrap="truncate-end">
        <Text color={colour(status.tone)}>● {status.text}</Text>
        {status.spinning ? (
          <Text>
            {' '}
            <Spinner />
          </Text>
        ) : null}
        {facts.length > 0 ? <Text dimColor> · {facts.join(' · ')}</Text> : null}
      </Text>
      <Text dimColor wrap="truncate-end">
        {info.id} · {info.runtime}
      </Text>
    </Box>
  );
}

/** Printed once, first in the scrollback, so the history says what it belongs to. */
export function Banner({ info }: { info: SessionInfo }): JSX.Element {
  const colour = useColour();
  const details = [info.service, info.severity, info.id, info.runtime, info.createdAt].filter((part): part is string => Boolean(part));
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text wrap="truncate-end">
        <Text color={colour('magenta')} bold>
          incident
        </Text>{' '}
        <Text bold>{stripControl(info.title ?? 'untitled incident', true)}</Text>
      </Text>
      <Text dimColor wrap="truncate-end">
        {stripControl(details.join(' · '), true)}
      </Text>
    </Box>
  );
}
