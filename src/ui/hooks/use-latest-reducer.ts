// A reducer whose latest state can be read synchronously. Ink delivers keys faster than
// React renders, so a handler reading rendered state can act on a stale line ("ab?" typed
// in one burst must not open the help). Every action goes through the pure reducer at
// once; React renders whatever state is latest.
import { useCallback, useRef, useState } from 'react';

export function useLatestReducer<State, Action>(
  reducer: (state: State, action: Action) => State,
  initial: () => State,
): [state: State, dispatch: (action: Action) => void, latest: () => State] {
  const [state, setState] = useState(initial);
  const latest = useRef(state);
  const dispatch = useCallback(
    (action: Action) => {
      const next = reducer(latest.current, action);
      if (next === latest.current) return;
      latest.current = next;
      setState(next);
    },
    [reducer],
  );
  const read = useCallback(() => latest.current, []);
  return [state, dispatch, read];
}
