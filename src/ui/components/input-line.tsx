// The line for follow-up questions. Enter (or a burst of text that ends with one) sends;
// `?` on an empty line is the help key, so it is never typed into an empty line.
import { Box, Text, useInput } from 'ink';
import type { JSX } from 'react';
import { useColour } from '../contexts/settings-context.js';
import { useUiActions } from '../contexts/ui-actions-context.js';
import { useUiState } from '../contexts/ui-state-context.js';
import { isTextInput, labelOf, matches } from '../keys.js';

export function InputLine({ active }: { active: boolean }): JSX.Element {
  const { input } = useUiState();
  const actions = useUiActions();
  const colour = useColour();

  useInput(
    (text, key) => {
      if (matches('submit', text, key)) actions.submitInput();
      else if (matches('deleteBackward', text, key)) actions.editInput({ kind: 'backspace' });
      else if (matches('clearInput', text, key)) actions.editInput({ kind: 'clear' });
      else if (isTextInput(text, key) && !(actions.state().input === '' && matches('help', text, key))) {
        // Keys typed faster than they are read, or a paste, arrive as one burst; a burst that
        // ends with a line break ends with Enter. Breaks inside it join the words.
        const endsWithEnter = /[\r\n]$/.test(text);
        actions.editInput({ kind: 'append', text: text.replace(/[\r\n\t]+$/, '').replace(/[\r\n\t]+/g, ' ') });
        if (endsWithEnter) actions.submitInput();
      }
    },
    { isActive: active },
  );

  return (
    <Box>
      <Box width={2} flexShrink={0}>
        <Text color={colour('magenta')} bold>
          ›
        </Text>
      </Box>
      {input === '' ? (
        <Text dimColor wrap="truncate-end">
          <Text inverse> </Text>ask a follow-up · {labelOf('help')} keys · {labelOf('interrupt')} interrupt
        </Text>
      ) : (
        <Text wrap="wrap">
          {input}
          <Text inverse> </Text>
        </Text>
      )}
    </Box>
  );
}
