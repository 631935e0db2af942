// The header over the live part of the screen: what incident this is and how the
// session is doing (status, elapsed time, tokens and cost).
import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { elapsedMs } from '../../render/fold.js';
import { formatCost, formatDuration, formatTokens, stripControl } from '../../render/format.js';
import type { SessionInfo, SessionView } from '../../render/view.js';
import { useColour } from '../contexts/settings-context.js';
import { useUiState } from '../contexts/ui-state-context.js';
import { useTicker } from '../hooks/use-ticker.js';
import type { StreamState } from '../state/ui-reducer.js';

type Tone = 'green' | 'yellow' | 'red' | 'cyan' | 'gray';

export function statusOf(view: SessionView, stream: StreamState, interrupting: boolean, interrupted = false): { text: string; tone: Tone } {
  if (stream === 'failed') return { text: 'disconnected', tone: 'red' };
  if (stream === 'connecting') return { text: 'connecting', tone: 'gray' };
  if (stream === 'reconnecting') return { text: 'runtime unreachable, retrying', tone: 'yellow' };
  if (view.pendingApprovals.length > 0) return { text: 'waiting for approval', tone: 'yellow' };
  if (interrupting) return { text: 'interrupting', tone: 'yellow' };
  if (interrupted && view.status === 'idle') return { text: 'interrupted', tone: 'yellow' };
  switch (view.status) {
    case 'running':
      return { text: view.thinking ? 'thinking' : 'running', tone: 'cyan' };
    case 'rescheduling':
      return { text: 'rescheduling', tone: 'yellow' };
    case 'terminated':
      return { text: 'terminated', tone: 'gray' };
    case 'deleted':
      return { text: 'deleted', tone: 'red' };
    case 'idle':
      if (view.stopReason === 'retries_exhausted') return { text: 'idle: retries exhausted', tone: 'red' };
      return { text: view.diagnosis ? 'diagnosed' : 'idle', tone: view.diagnosis ? 'green' : 'gray' };
  }
}

function titleLine(info: SessionInfo, view: SessionView): string {
  const title = view.title ?? info.title ?? 'untitled incident';
  return [title, info.service, info.severity].filter((part): part is string => Boolean(part)).map((part) => stripControl(part, true)).join(' · ');
}

export function Header(): JSX.Element {
  const { info, view, stream, interrupting, interrupted } = useUiState();
  const colour = useColour();
  const moving = view.status === 'running' || view.status === 'rescheduling';
  const now = useTicker(1000, moving);
  const status = statusOf(view, stream, interrupting, interrupted);
  const elapsed = elapsedMs(view, now, info.createdAt);
  const tokens = view.usage.inputTokens + view.usage.cacheReadInputTokens + view.usage.cacheCreationInputTokens + view.usage.outputTokens;
  const cost = formatCost(view.usage.costUsd);
  const facts = [elapsed === null ? null : formatDuration(elapsed), `${formatTokens(tokens)} tokens`, cost || null].filter(
    (part): part is string => part !== null,
  );
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {titleLine(info, view)}
      </Text>
      <Text wrap="truncate-end">
        <Text color={colour(status.tone)}>● {status.text}</Text>
        <Text dimColor> · {facts.join(' · ')}</Text>
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
