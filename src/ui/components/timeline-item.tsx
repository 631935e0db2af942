// One entry of the stream: a message, a tool card (the diagnosis card for an accepted
// submit_diagnosis, a hypothesis line for note_hypothesis) or a notice.
import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { withoutRestatedDiagnosis } from '../../render/describe.js';
import { clockTime, stripControl } from '../../render/format.js';
import { commandOutput } from '../../render/tool-result.js';
import type { MessageView, SessionView, TimelineItem } from '../../render/view.js';
import { useColour } from '../contexts/settings-context.js';
import { DiagnosisCard } from './diagnosis-card.js';
import { Markdown } from './markdown.js';
import { HypothesisNote, ToolCard } from './tool-card.js';

function Message({ message, view }: { message: MessageView; view: SessionView }): JSX.Element | null {
  const colour = useColour();
  if (message.role === 'user') {
    return (
      <Box>
        <Box width={2} flexShrink={0}>
          <Text color={colour('magenta')} bold>
            ›
          </Text>
        </Box>
        <Text bold>{stripControl(message.text, true)}</Text>
      </Box>
    );
  }
  // The diagnosis card tells the diagnosis: a closing message that quotes it keeps what it adds.
  const text = withoutRestatedDiagnosis(message.text, view.diagnosis?.value);
  if (text.trim() === '') return null;
  return (
    <Box paddingLeft={2}>
      <Markdown text={text} />
    </Box>
  );
}

function Notice({ level, text, at }: { level: 'info' | 'warn' | 'error'; text: string; at: string | null }): JSX.Element {
  const colour = useColour();
  const tone = level === 'error' ? colour('red') : level === 'warn' ? colour('yellow') : undefined;
  return (
    <Text color={tone} dimColor={level === 'info'} wrap="wrap">
      {level === 'info' ? '·' : '!'} {stripControl(text, true)} <Text dimColor>{clockTime(at)}</Text>
    </Text>
  );
}

/** Lines of a finished command's output kept on its card in the scrollback. */
const SETTLED_OUTPUT_LINES = 8;

/** `liveOutputLines`: how much of a running tool's output to show (none unless given). */
export function TimelineItemView({ item, view, liveOutputLines = 0 }: { item: TimelineItem; view: SessionView; liveOutputLines?: number }): JSX.Element | null {
  switch (item.kind) {
    case 'message':
      return <Message message={item.message} view={view} />;
    case 'notice':
      return <Notice level={item.level} text={item.text} at={item.at} />;
    case 'tool': {
      const tool = view.tools.get(item.toolUseId);
      if (!tool) return null;
      if (view.diagnosis?.toolUseId === tool.id) return <DiagnosisCard diagnosis={view.diagnosis.value} />;
      if (tool.name === 'note_hypothesis' && !tool.isError) return <HypothesisNote tool={tool} />;
      if (tool.state === 'running') return <ToolCard tool={tool} output={view.toolOutput[tool.id] ?? null} maxOutputLines={liveOutputLines} />;
      return <ToolCard tool={tool} output={commandOutput(tool.resultText)} maxOutputLines={SETTLED_OUTPUT_LINES} />;
    }
  }
}
