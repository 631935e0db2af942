// The session screen. Settled items go to <Static> (printed once into the scrollback,
// keyed by event id); only the header, the live tail, the hypotheses and the prompt
// below it re-render. The live part takes the terminal's width from Ink's own layout,
// so the frame drawn right after a resize already fits; when the width changes, the
// history is printed again at the new width over a cleared scrollback.
import { Box, Static, Text, useInput } from 'ink';
import { useCallback, useMemo, useRef, type JSX } from 'react';
import { EXIT, isIncidentError } from '../../errors.js';
import type { TimelineItem } from '../../render/view.js';
import { SettingsContext, useColour, useSettings } from '../contexts/settings-context.js';
import { UiActionsContext } from '../contexts/ui-actions-context.js';
import { UiStateContext } from '../contexts/ui-state-context.js';
import { useLatestReducer } from '../hooks/use-latest-reducer.js';
import { useSessionEvents } from '../hooks/use-session-events.js';
import { useHeldActionsVersion, withHeldCheck } from '../hooks/use-held-actions.js';
import { useRedrawOnResize } from '../hooks/use-redraw-on-resize.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { labelOf, matches } from '../keys.js';
import { createActions } from '../state/ui-actions.js';
import { initialUiState, uiReducer } from '../state/ui-reducer.js';
import type { TuiSession } from '../types.js';
import { ApprovalPrompt } from './approval-prompt.js';
import { Banner, Header } from './header.js';
import { HelpPanel } from './help-panel.js';
import { HypothesisPanel } from './hypothesis-panel.js';
import { InputLine } from './input-line.js';
import { LiveArea } from './live-area.js';
import { TimelineItemView } from './timeline-item.js';

type StaticItem = TimelineItem | { kind: 'banner'; key: string };

/** Lines around the approval details: divider, header, the prompt's borders, command, place and lines, a notice. */
const LIVE_CHROME_LINES = 18;

export function SessionScreen({
  session,
  onQuit,
}: {
  session: TuiSession;
  /** The person quit: the exit code, and the session to resume later (null once it is deleted). */
  onQuit: (exitCode: number, sessionId: string | null) => void;
}): JSX.Element {
  const [state, dispatch, latest] = useLatestReducer(uiReducer, () => initialUiState(session.info));
  // Quitting is Ctrl+C, and Ctrl+C is 130 (README "Exit codes"), unless the stream failed.
  const exitCode = useRef<number>(EXIT.cancelled);
  const colour = useColour();
  const settings = useSettings();
  const { columns, rows } = useTerminalSize();

  const onFailure = useCallback((error: unknown) => {
    exitCode.current = isIncidentError(error) ? error.exitCode : EXIT.runtime;
  }, []);
  useSessionEvents(session, dispatch, onFailure);
  const actions = useMemo(
    () => createActions(session, dispatch, latest, () => onQuit(exitCode.current, latest().view.status === 'deleted' ? null : session.info.id)),
    [session, dispatch, latest, onQuit],
  );

  const { view } = state;
  const approvalId = view.pendingApprovals[0];
  // Redrawn when the hands holding an action report its check.
  useHeldActionsVersion(session.heldActions);
  const approval = withHeldCheck(approvalId === undefined ? undefined : view.tools.get(approvalId), session.heldActions);
  const ended = view.status === 'terminated' || view.status === 'deleted' || state.stream === 'failed';
  // The live area must stay shorter than the terminal, or Ink clears the screen and
  // reprints the whole history on every frame: panels opened on demand take the place
  // of the live tail, and small terminals show less of it.
  const overlay = state.helpOpen || (state.detailsOpen && approval !== undefined);
  const compact = rows < 30;

  useInput((input, key) => {
    const now = latest();
    if (matches('quit', input, key)) actions.quit();
    else if (matches('interrupt', input, key)) {
      if (now.helpOpen || now.detailsOpen) actions.closePanel();
      else actions.interrupt();
    } else if (matches('help', input, key) && (now.input === '' || now.view.pendingApprovals.length > 0)) actions.toggleHelp();
  });

  const items = useMemo<StaticItem[]>(() => [{ kind: 'banner', key: `banner:${session.info.id}` }, ...view.settled], [session.info.id, view.settled]);
  const renderItem = (item: StaticItem): JSX.Element => (
    <Box key={item.key} width={columns} flexDirection="column">
      {item.kind === 'banner' ? <Banner info={session.info} /> : <TimelineItemView item={item} view={view} />}
    </Box>
  );
  useRedrawOnResize(columns, () => (
    <SettingsContext.Provider value={settings}>
      <Box flexDirection="column">{items.map(renderItem)}</Box>
    </SettingsContext.Provider>
  ));

  return (
    <UiStateContext.Provider value={state}>
      <UiActionsContext.Provider value={actions}>
        <Static items={items}>{renderItem}</Static>
        <Box flexDirection="column">
          <Box borderStyle="single" borderTop borderBottom={false} borderLeft={false} borderRight={false} borderDimColor />
          <Header />
          {overlay ? null : <LiveArea maxItems={compact ? 2 : 4} maxPreviewLines={compact ? 2 : 4} />}
          {overlay ? null : <HypothesisPanel maxShown={compact ? 2 : 5} />}
          {approval ? (
            <ApprovalPrompt
              key={approval.id}
              tool={approval}
              showDetails={state.detailsOpen && !state.helpOpen}
              maxDetailLines={Math.max(3, rows - LIVE_CHROME_LINES)}
            />
          ) : ended ? (
            <Text dimColor>session ended · {labelOf('quit')} quits</Text>
          ) : (
            <InputLine active />
          )}
          {state.helpOpen ? <HelpPanel scopes={approval ? ['approval', 'session', 'everywhere'] : ['input', 'session', 'everywhere']} /> : null}
          {state.notice ? (
            <Text color={state.notice.level === 'error' ? colour('red') : state.notice.level === 'warn' ? colour('yellow') : undefined} wrap="wrap">
              {state.notice.text}
            </Text>
          ) : null}
        </Box>
      </UiActionsContext.Provider>
    </UiStateContext.Provider>
  );
}
