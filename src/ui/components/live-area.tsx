// The part of the stream still changing: running tools, approvals waiting, a message
// being streamed, "thinking". Kept to a few lines so a frame costs the same at the
// first event and the five-thousandth.
import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { stripControl } from '../../render/format.js';
import { useUiState } from '../contexts/ui-state-context.js';
import { Spinner } from './spinner.js';
import { TimelineItemView } from './timeline-item.js';

export function LiveArea({ maxItems, maxPreviewLines }: { maxItems: number; maxPreviewLines: number }): JSX.Element | null {
  const { view } = useUiState();
  // The approval being asked about is shown by its prompt, not twice.
  const prompted = view.pendingApprovals[0];
  const live = prompted === undefined ? view.live : view.live.filter((item) => item.kind !== 'tool' || item.toolUseId !== prompted);
  const hidden = Math.max(0, live.length - maxItems);
  const shown = live.slice(hidden);
  const previews = Object.values(view.previews).filter((text) => text.trim() !== '');
  const preview = previews.at(-1);
  const previewLines = preview === undefined ? [] : stripControl(preview).trimEnd().split('\n').slice(-maxPreviewLines);
  const thinking = view.thinking && view.status === 'running' && preview === undefined;
  // Only the newest running tool that printed something shows its output, so the live
  // area keeps its height however many tools run at once.
  const printing = shown.findLast((item) => item.kind === 'tool' && (view.toolOutput[item.toolUseId] ?? '') !== '');
  if (shown.length === 0 && previewLines.length === 0 && !thinking) return null;
  return (
    <Box flexDirection="column">
      {hidden > 0 ? <Text dimColor>… {hidden} more in progress</Text> : null}
      {shown.map((item) => (
        <TimelineItemView key={item.key} item={item} view={view} liveOutputLines={item === printing ? maxPreviewLines - 1 : 0} />
      ))}
      {previewLines.length > 0 ? (
        <Box paddingLeft={2} flexDirection="column">
          {previewLines.map((line, index) => (
            <Text key={index}>{line}</Text>
          ))}
        </Box>
      ) : null}
      {thinking ? (
        <Box>
          <Box width={2} flexShrink={0}>
            <Spinner />
          </Box>
          <Text dimColor>thinking</Text>
        </Box>
      ) : null}
    </Box>
  );
}
