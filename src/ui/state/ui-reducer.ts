// The session screen's state: the folded session (the same fold every renderer uses)
// plus what only the terminal knows: panels, the input line, answers in flight.
import type { StreamEvent } from '../../protocol/events.js';
import { emptyView, foldEvents } from '../../render/fold.js';
import type { SessionInfo, SessionView } from '../../render/view.js';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'failed';

export interface Notice {
  level: 'info' | 'warn' | 'error';
  text: string;
}

export interface UiState {
  info: SessionInfo;
  view: SessionView;
  stream: StreamState;
  helpOpen: boolean;
  /** The exact input of the approval on screen is shown. */
  detailsOpen: boolean;
  input: string;
  /** Tool use ids answered here whose confirmation has not come back in the log yet. */
  answering: readonly string[];
  /** An interrupt asked for here whose turn has not ended yet. */
  interrupting: boolean;
  notice: Notice | null;
}

export type UiAction =
  | { type: 'events'; events: readonly StreamEvent[] }
  | { type: 'stream'; state: StreamState; error?: string }
  | { type: 'toggleHelp' }
  | { type: 'toggleDetails' }
  | { type: 'closePanel' }
  | { type: 'input'; edit: InputEdit }
  | { type: 'answering'; toolUseId: string; done: boolean }
  | { type: 'interrupting'; value: boolean }
  | { type: 'notice'; notice: Notice | null };

/** Edits are relative, so keys that arrive faster than renders are never lost. */
export type InputEdit = { kind: 'append'; text: string } | { kind: 'backspace' } | { kind: 'clear' };

function editInput(input: string, edit: InputEdit): string {
  switch (edit.kind) {
    case 'append':
      return input + edit.text;
    case 'backspace':
      return Array.from(input).slice(0, -1).join('');
    case 'clear':
      return '';
  }
}

export function initialUiState(info: SessionInfo): UiState {
  return {
    info,
    view: emptyView({ model: info.model ?? null }),
    stream: 'connecting',
    helpOpen: false,
    detailsOpen: false,
    input: '',
    answering: [],
    interrupting: false,
    notice: null,
  };
}

/** Whether a turn ended among these events. */
function turnEnded(events: readonly StreamEvent[]): boolean {
  return events.some((event) => event.type === 'session.status_idle' || event.type === 'session.status_terminated' || event.type === 'session.deleted');
}

function foldInto(state: UiState, events: readonly StreamEvent[]): UiState {
  const view = foldEvents(state.view, events);
  const stream = state.stream === 'connecting' ? 'live' : state.stream;
  if (view === state.view) return stream === state.stream ? state : { ...state, stream };
  const approvalChanged = view.pendingApprovals[0] !== state.view.pendingApprovals[0];
  return {
    ...state,
    view,
    stream,
    // Details belong to the approval they were opened for.
    detailsOpen: approvalChanged ? false : state.detailsOpen,
    answering: state.answering.filter((id) => view.pendingApprovals.includes(id)),
    // The interrupt is done once the turn has ended. Not before: an approval waiting when it
    // was asked for is answered first, and the turn runs on until the interrupt lands.
    interrupting: state.interrupting && !turnEnded(events),
  };
}

export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'events':
      return foldInto(state, action.events);
    case 'stream':
      return {
        ...state,
        stream: action.state,
        notice: action.error === undefined ? state.notice : { level: 'error', text: action.error },
      };
    case 'toggleHelp':
      return { ...state, helpOpen: !state.helpOpen };
    case 'toggleDetails':
      return { ...state, detailsOpen: !state.detailsOpen };
    case 'closePanel':
      return state.helpOpen ? { ...state, helpOpen: false } : { ...state, detailsOpen: false };
    case 'input':
      return { ...state, input: editInput(state.input, action.edit) };
    case 'answering': {
      const others = state.answering.filter((id) => id !== action.toolUseId);
      return { ...state, answering: action.done ? others : [...others, action.toolUseId] };
    }
    case 'interrupting':
      return { ...state, interrupting: action.value };
    case 'notice':
      return { ...state, notice: action.notice };
    default:
      return assertNever(action);
  }
}

function assertNever(action: never): never {
  throw new Error(`unhandled UI action ${JSON.stringify(action)}`);
}
