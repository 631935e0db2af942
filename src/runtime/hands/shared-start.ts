// Starting the hands once, however many callers ask at once (an eager start and the first
// call race; several calls arrive together), while a start that failed is not remembered:
// the next caller tries again.

export interface SharedStart<T> {
  /** The start in progress or done, else a new one. */
  start(): Promise<T>;
  /** The start in progress or done, if any (to stop what it started). */
  current(): Promise<T> | undefined;
}

export function sharedStart<T>(open: () => Promise<T>): SharedStart<T> {
  let starting: Promise<T> | undefined;
  return {
    start() {
      if (starting === undefined) {
        const attempt = open();
        starting = attempt;
        attempt.catch(() => {
          if (starting === attempt) starting = undefined;
        });
      }
      return starting;
    },
    current: () => starting,
  };
}
