// Settings fixed for the life of the TUI: colour on or off, the approval timeout.
import { createContext, useContext } from 'react';
import { DEFAULT_APPROVAL_TIMEOUT_MS } from '../types.js';

export interface Settings {
  color: boolean;
  approvalTimeoutMs: number;
}

export const SettingsContext = createContext<Settings>({ color: true, approvalTimeoutMs: DEFAULT_APPROVAL_TIMEOUT_MS });

export function useSettings(): Settings {
  return useContext(SettingsContext);
}

type Colour = 'red' | 'green' | 'yellow' | 'cyan' | 'blue' | 'magenta' | 'gray';

/** A colour name, or undefined when colour is off (Ink then prints no colour codes). */
export function useColour(): (colour: Colour) => Colour | undefined {
  const { color } = useSettings();
  return (colour) => (color ? colour : undefined);
}
