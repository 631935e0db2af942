import { createContext, useContext } from 'react';
import type { InputEdit, UiState } from '../state/ui-reducer.js';

/** Everything a person can do on the session screen. Each returns at once; failures become notices. */
export interface UiActions {
  /** The state as of the last action, newer than the last render when keys arrive in a burst. */
  state(): UiState;
  send(text: string): void;
  /** Send what is on the input line and clear it. */
  submitInput(): void;
  approve(toolUseId: string): void;
  deny(toolUseId: string, message: string): void;
  interrupt(): void;
  toggleHelp(): void;
  toggleDetails(): void;
  closePanel(): void;
  editInput(edit: InputEdit): void;
  quit(): void;
}

export const UiActionsContext = createContext<UiActions | null>(null);

export function useUiActions(): UiActions {
  const actions = useContext(UiActionsContext);
  if (!actions) throw new Error('useUiActions outside the session screen');
  return actions;
}
