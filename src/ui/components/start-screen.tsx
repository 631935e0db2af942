// The start screen: pick a recent session to resume (arrows and Enter) or type the
// path of an incident bundle to open a new one.
import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState, type JSX } from 'react';
import { stripControl } from '../../render/format.js';
import { outcomeLabel } from '../../render/outcome.js';
import { useColour } from '../contexts/settings-context.js';
import { useLatestReducer } from '../hooks/use-latest-reducer.js';
import { isTextInput, labelOf, matches } from '../keys.js';
import { errorText } from '../state/ui-actions.js';
import type { SessionSummary, TuiSession, TuiStart } from '../types.js';
import { HelpPanel } from './help-panel.js';

const MAX_LISTED = 8;

interface Picker {
  path: string;
  selected: number;
}

type PickerAction = { type: 'type'; text: string } | { type: 'backspace' } | { type: 'clear' } | { type: 'move'; by: number; count: number };

function pickerReducer(state: Picker, action: PickerAction): Picker {
  switch (action.type) {
    case 'type':
      return { ...state, path: state.path + action.text };
    case 'backspace':
      return { ...state, path: Array.from(state.path).slice(0, -1).join('') };
    case 'clear':
      return { ...state, path: '' };
    case 'move':
      return action.count === 0 ? state : { ...state, selected: (state.selected + action.by + action.count) % action.count };
  }
}

function shortTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

export function StartScreen({ start, onOpen, onQuit }: { start: TuiStart; onOpen: (session: TuiSession) => void; onQuit: () => void }): JSX.Element {
  const colour = useColour();
  const [recent, setRecent] = useState<SessionSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [picker, dispatch, latestPicker] = useLatestReducer(pickerReducer, () => ({ path: '', selected: 0 }));
  const listed = useRef<SessionSummary[]>([]);

  useEffect(() => {
    let live = true;
    start.recent().then(
      (sessions) => {
        if (!live) return;
        listed.current = sessions.slice(0, MAX_LISTED);
        setRecent(listed.current);
      },
      (error: unknown) => {
        if (!live) return;
        setRecent([]);
        setProblem(`could not list sessions: ${errorText(error)}`);
      },
    );
    return () => {
      live = false;
    };
  }, [start]);

  const choose = (): void => {
    const chosen = latestPicker();
    const path = chosen.path.trim();
    const target = path === '' ? listed.current[chosen.selected] : undefined;
    if (path === '' && !target) return;
    setBusy(path !== '' ? `opening ${path}…` : `resuming ${target?.id ?? ''}…`);
    setProblem(null);
    const opening = path !== '' ? start.open(path) : start.resume(target?.id ?? '');
    opening.then(onOpen, (error: unknown) => {
      setBusy(null);
      setProblem(errorText(error));
    });
  };

  useInput(
    (input, key) => {
      const count = listed.current.length;
      if (matches('quit', input, key)) onQuit();
      else if (matches('submit', input, key)) choose();
      else if (matches('selectUp', input, key)) dispatch({ type: 'move', by: -1, count });
      else if (matches('selectDown', input, key)) dispatch({ type: 'move', by: 1, count });
      else if (matches('deleteBackward', input, key)) dispatch({ type: 'backspace' });
      else if (matches('clearInput', input, key)) dispatch({ type: 'clear' });
      else if (isTextInput(input, key)) {
        dispatch({ type: 'type', text: input.replace(/[\r\n\t]+/g, '') });
        // A path pasted (or typed faster than read) with its Enter arrives as one burst.
        if (/[\r\n]$/.test(input)) choose();
      }
    },
    { isActive: busy === null },
  );

  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color={colour('magenta')} bold>
          incident
        </Text>{' '}
        <Text bold>open an incident bundle or resume a session</Text>
      </Text>
      <Box flexDirection="column" marginY={1}>
        <Text bold>Recent sessions</Text>
        {recent === null ? <Text dimColor>loading…</Text> : null}
        {recent?.length === 0 ? <Text dimColor>none yet</Text> : null}
        {recent?.map((session, index) => {
          const selected = index === picker.selected && picker.path === '';
          return (
            <Text key={session.id} wrap="truncate-end" color={selected ? colour('cyan') : undefined} bold={selected}>
              {selected ? '› ' : '  '}
              {stripControl(session.title ?? 'untitled', true)}
              <Text dimColor>
                {' '}
                · {session.outcome === null ? 'outcome unknown' : outcomeLabel(session.outcome)} · {shortTime(session.updatedAt)} · {session.id}
              </Text>
            </Text>
          );
        })}
      </Box>
      <Box>
        <Text bold>Bundle path </Text>
        <Text wrap="truncate-start">
          {stripControl(picker.path, true)}
          <Text inverse> </Text>
        </Text>
      </Box>
      {busy ? <Text color={colour('cyan')}>{busy}</Text> : null}
      {problem ? (
        <Text color={colour('red')} wrap="wrap">
          {problem}
        </Text>
      ) : null}
      <Box marginTop={1}>
        <HelpPanel scopes={['start', 'input', 'everywhere']} />
      </Box>
      <Text dimColor wrap="wrap">
        {labelOf('submit')} opens the typed path, or resumes the selected session when the path is empty.
      </Text>
    </Box>
  );
}
