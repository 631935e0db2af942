// The hypotheses so far: proposed, supported, ruled out. It answers "why not the
// deploy?" while the investigation runs.
import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { stripControl } from '../../render/format.js';
import type { HypothesisView } from '../../render/view.js';
import { useColour } from '../contexts/settings-context.js';
import { useUiState } from '../contexts/ui-state-context.js';

const LABEL: Readonly<Record<HypothesisView['status'], string>> = { proposed: 'proposed', supported: 'supported', refuted: 'ruled out' };
const SYMBOL: Readonly<Record<HypothesisView['status'], string>> = { proposed: '◇', supported: '◆', refuted: '✗' };

export function HypothesisPanel({ maxShown }: { maxShown: number }): JSX.Element | null {
  const { view } = useUiState();
  const colour = useColour();
  if (view.hypothesisOrder.length === 0) return null;
  const all = view.hypothesisOrder.map((id) => view.hypotheses[id]).filter((item): item is HypothesisView => item !== undefined);
  // Supported first, then open ones, then the ruled out: the most useful lines survive the cap.
  const rank = { supported: 0, proposed: 1, refuted: 2 } as const;
  const shown = [...all].sort((a, b) => rank[a.status] - rank[b.status]).slice(0, maxShown);
  const tone = (status: HypothesisView['status']): ReturnType<typeof colour> =>
    status === 'supported' ? colour('green') : status === 'proposed' ? colour('yellow') : undefined;
  return (
    <Box flexDirection="column">
      <Text dimColor>
        Hypotheses {all.filter((item) => item.status === 'supported').length} supported ·{' '}
        {all.filter((item) => item.status === 'proposed').length} open · {all.filter((item) => item.status === 'refuted').length} ruled out
      </Text>
      {shown.map((hypothesis) => (
        <Text key={hypothesis.id} wrap="truncate-end">
          <Text color={tone(hypothesis.status)} dimColor={hypothesis.status === 'refuted'}>
            {SYMBOL[hypothesis.status]} {LABEL[hypothesis.status]}
          </Text>{' '}
          <Text bold>{stripControl(hypothesis.id, true)}</Text> {stripControl(hypothesis.statement, true)}
        </Text>
      ))}
    </Box>
  );
}
