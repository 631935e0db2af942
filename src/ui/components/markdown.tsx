// Agent text with light markdown: bold, `code`, headings, lists and code blocks, wrapped
// to the width of the box it sits in (Ink wraps; list items keep a hanging indent).
import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { parseMarkdown, type Inline } from '../../render/markdown.js';
import { stripControl } from '../../render/format.js';
import { useColour } from '../contexts/settings-context.js';

function Spans({ inlines }: { inlines: readonly Inline[] }): JSX.Element {
  const colour = useColour();
  return (
    <Text>
      {inlines.map((span, index) => {
        const text = stripControl(span.text, true);
        if (span.style === 'bold') return <Text key={index} bold>{text}</Text>;
        if (span.style === 'code') return <Text key={index} color={colour('cyan')}>{text}</Text>;
        return text;
      })}
    </Text>
  );
}

export function Markdown({ text }: { text: string }): JSX.Element {
  const blocks = parseMarkdown(text);
  return (
    <Box flexDirection="column">
      {blocks.map((block, index) => {
        switch (block.kind) {
          case 'heading':
            return (
              <Text key={index} bold underline>
                <Spans inlines={block.inlines} />
              </Text>
            );
          case 'paragraph':
            return (
              <Box key={index} flexDirection="column">
                {block.lines.map((line, lineIndex) => (
                  <Spans key={lineIndex} inlines={line} />
                ))}
              </Box>
            );
          case 'list':
            return (
              <Box key={index} flexDirection="column">
                {block.items.map((item, itemIndex) => (
                  <Box key={itemIndex}>
                    <Box flexShrink={0} marginRight={1}>
                      <Text>{item.marker}</Text>
                    </Box>
                    <Box flexGrow={1} flexShrink={1}>
                      <Spans inlines={item.inlines} />
                    </Box>
                  </Box>
                ))}
              </Box>
            );
          case 'code':
            return (
              <Box key={index} flexDirection="column" paddingLeft={2}>
                {block.lines.map((line, lineIndex) => (
                  <Text key={lineIndex} dimColor wrap="truncate-end">
                    {stripControl(line, true) || ' '}
                  </Text>
                ))}
              </Box>
            );
        }
      })}
    </Box>
  );
}
