import { Text } from 'ink';
import type { JSX } from 'react';
import { useTicker } from '../hooks/use-ticker.js';
import { useColour } from '../contexts/settings-context.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const INTERVAL_MS = 100;

export function Spinner(): JSX.Element {
  const now = useTicker(INTERVAL_MS, true);
  const colour = useColour();
  return <Text color={colour('cyan')}>{FRAMES[Math.floor(now / INTERVAL_MS) % FRAMES.length]}</Text>;
}
