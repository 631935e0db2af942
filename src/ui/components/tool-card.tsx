// A tool call as a card: a status symbol, the tool and its key arguments on one line;
// then how long it took and the one-line result, and the last lines a command printed
// (live while it runs). A running card spins.
import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { formatDuration, stripControl, tailLines } from '../../render/format.js';
import type { ToolCallView } from '../../render/view.js';
import { useColour } from '../contexts/settings-context.js';
import { Spinner } from './spinner.js';

type Colour = ReturnType<ReturnType<typeof useColour>>;

function Symbol({ tool }: { tool: ToolCallView }): JSX.Element {
  const colour = useColour();
  switch (tool.state) {
    case 'running':
      return <Spinner />;
    case 'awaiting_approval':
      return <Text color={colour('yellow')}>?</Text>;
    case 'done':
      return <Text color={colour('green')}>✓</Text>;
    case 'failed':
      return <Text color={colour('red')}>✗</Text>;
    case 'denied':
      return <Text color={colour('yellow')}>✗</Text>;
    case 'stopped':
      return <Text dimColor>■</Text>;
  }
}

function outcomeLine(tool: ToolCallView, colour: ReturnType<typeof useColour>): { text: string; colour: Colour; dim: boolean } | null {
  const duration = formatDuration(tool.durationMs);
  const summary = stripControl(tool.summary ?? '', true);
  const joined = [duration, summary].filter((part) => part !== '').join(' · ');
  switch (tool.state) {
    case 'running':
      return null;
    case 'awaiting_approval':
      return { text: 'awaiting your approval', colour: colour('yellow'), dim: false };
    case 'done':
      return joined ? { text: joined, colour: undefined, dim: true } : null;
    case 'failed':
      return { text: tool.name === 'submit_diagnosis' ? `diagnosis rejected: ${summary}` : joined, colour: colour('red'), dim: false };
    case 'denied':
      return { text: `denied: ${summary}`, colour: colour('yellow'), dim: false };
    case 'stopped':
      return { text: summary, colour: undefined, dim: true };
  }
}

/** At most `maxLines` lines, the "earlier lines" marker included. */
function Output({ text, maxLines }: { text: string; maxLines: number }): JSX.Element | null {
  const tail = tailLines(text, maxLines);
  const cut = tail.hidden > 0 && maxLines > 1 ? 1 : 0;
  const lines = tail.lines.slice(cut);
  const hidden = tail.hidden + cut;
  if (lines.length === 0) return null;
  return (
    // A rule down the left sets what the command printed apart from what the agent says.
    <Box marginLeft={2} paddingLeft={1} flexDirection="column" borderStyle="single" borderTop={false} borderRight={false} borderBottom={false} borderDimColor>
      {hidden > 0 ? <Text dimColor>… {hidden === 1 ? '1 earlier line' : `${hidden} earlier lines`}</Text> : null}
      {lines.map((line, index) => (
        <Text key={index} dimColor wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </Box>
  );
}

/** `output`: what the tool printed (so far, while it runs), shown as its last `maxOutputLines` lines. */
export function ToolCard({ tool, output = null, maxOutputLines = 0 }: { tool: ToolCallView; output?: string | null; maxOutputLines?: number }): JSX.Element {
  const colour = useColour();
  const outcome = outcomeLine(tool, colour);
  return (
    <Box flexDirection="column">
      <Box>
        <Box width={2} flexShrink={0}>
          <Symbol tool={tool} />
        </Box>
        <Text wrap="truncate-end">
          <Text bold>{tool.name}</Text>
          {tool.keyArgs ? <Text dimColor> {stripControl(tool.keyArgs, true)}</Text> : null}
        </Text>
      </Box>
      {outcome ? (
        <Box paddingLeft={2}>
          <Text color={outcome.colour} dimColor={outcome.dim}>
            {outcome.text}
          </Text>
        </Box>
      ) : null}
      {output !== null && maxOutputLines > 0 ? <Output text={output} maxLines={maxOutputLines} /> : null}
    </Box>
  );
}

const HYPOTHESIS_SYMBOL = { proposed: '◇', supported: '◆', refuted: '✗' } as const;

/** A note_hypothesis call reads as the hypothesis it noted. */
export function HypothesisNote({ tool }: { tool: ToolCallView }): JSX.Element {
  const colour = useColour();
  const status = tool.input['status'];
  const known = status === 'proposed' || status === 'supported' || status === 'refuted' ? status : null;
  const tone = known === 'supported' ? colour('green') : known === 'refuted' ? undefined : colour('yellow');
  const label = known === 'refuted' ? 'ruled out' : (known ?? 'noted');
  return (
    <Box>
      <Box width={2} flexShrink={0}>
        <Text color={tone} dimColor={known === 'refuted'}>
          {known ? HYPOTHESIS_SYMBOL[known] : '◇'}
        </Text>
      </Box>
      <Text wrap="truncate-end">
        <Text bold>{stripControl(String(tool.input['id'] ?? ''), true)}</Text>
        <Text color={tone} dimColor={known === 'refuted'}> {label}</Text>
        <Text> {stripControl(String(tool.input['statement'] ?? ''), true)}</Text>
      </Text>
    </Box>
  );
}
