// State and actions live in separate contexts: components that only act (key handlers)
// do not re-render when the state changes, and the state stays a plain value.
import { createContext, useContext } from 'react';
import type { UiState } from '../state/ui-reducer.js';

export const UiStateContext = createContext<UiState | null>(null);

export function useUiState(): UiState {
  const state = useContext(UiStateContext);
  if (!state) throw new Error('useUiState outside the session screen');
  return state;
}
