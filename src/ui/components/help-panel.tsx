// The keys, straight from the binding table.
import { Box, Text } from 'ink';
import type { JSX } from 'react';
import { bindingsIn, type Scope } from '../keys.js';

export function HelpPanel({ scopes }: { scopes: readonly Scope[] }): JSX.Element {
  const rows = bindingsIn(scopes);
  const width = Math.max(...rows.map((row) => row.label.length)) + 2;
  return (
    <Box flexDirection="column">
      <Text dimColor>Keys</Text>
      {rows.map((row) => (
        <Box key={row.command}>
          <Box width={width} flexShrink={0}>
            <Text bold>{row.label}</Text>
          </Box>
          <Text>{row.description}</Text>
        </Box>
      ))}
    </Box>
  );
}
