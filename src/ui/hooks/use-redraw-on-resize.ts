// A terminal that changes width rewraps what it already shows: the history printed at
// the old width, and the live frame, which then takes more rows than Ink erases, so
// stale copies of it stay behind. Once the width settles, the screen and its scrollback
// are cleared and the history is printed again at the new width. It is written through
// Ink, which takes its live frame off first and draws it again after, and it bypasses
// <Static>, whose own record of what it printed stays as it was.
import { renderToString, useStdout } from 'ink';
import { useEffect, useRef, type ReactNode } from 'react';

/** Erase the screen, then the scrollback, then home the cursor. */
export const CLEAR_SCREEN_AND_SCROLLBACK = '\u001b[2J\u001b[3J\u001b[H';

/** A resize by dragging sends many events: redraw once, after the last. */
export const RESIZE_SETTLE_MS = 120;

/** `history`: the scrollback as it should read at the current width (called when redrawing). */
export function useRedrawOnResize(columns: number, history: () => ReactNode): void {
  const { write } = useStdout();
  const drawnAt = useRef(columns);
  const latestHistory = useRef(history);
  latestHistory.current = history;
  useEffect(() => {
    if (columns === drawnAt.current) return;
    const timer = setTimeout(() => {
      drawnAt.current = columns;
      const text = renderToString(latestHistory.current(), { columns });
      write(`${CLEAR_SCREEN_AND_SCROLLBACK}${text === '' ? '' : `${text}\n`}`);
    }, RESIZE_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [columns, write]);
}
