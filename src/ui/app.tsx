// The root: the start screen until a session is chosen, then the session screen.
import { useApp } from 'ink';
import { useCallback, useMemo, useState, type JSX } from 'react';
import { EXIT } from '../errors.js';
import { SettingsContext } from './contexts/settings-context.js';
import { SessionScreen } from './components/session-screen.js';
import { StartScreen } from './components/start-screen.js';
import { DEFAULT_APPROVAL_TIMEOUT_MS, type TuiSession, type TuiStart } from './types.js';

export interface AppProps {
  session?: TuiSession;
  start?: TuiStart;
  approvalTimeoutMs?: number;
  color?: boolean;
  /** Called once when the person quits: the exit code, and the session on screen (to resume later). */
  onExit?: (exitCode: number, sessionId: string | null) => void;
}

export function App({ session, start, approvalTimeoutMs, color, onExit }: AppProps): JSX.Element | null {
  const [current, setCurrent] = useState<TuiSession | null>(session ?? null);
  const { exit } = useApp();
  const settings = useMemo(
    () => ({ color: color ?? true, approvalTimeoutMs: approvalTimeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS }),
    [color, approvalTimeoutMs],
  );
  const quit = useCallback(
    (exitCode: number, sessionId: string | null) => {
      onExit?.(exitCode, sessionId);
      exit();
    },
    [onExit, exit],
  );
  const quitStart = useCallback(() => quit(EXIT.cancelled, null), [quit]);

  let screen: JSX.Element | null = null;
  if (current) screen = <SessionScreen key={current.info.id} session={current} onQuit={quit} />;
  else if (start) screen = <StartScreen start={start} onOpen={setCurrent} onQuit={quitStart} />;
  return <SettingsContext.Provider value={settings}>{screen}</SettingsContext.Provider>;
}
