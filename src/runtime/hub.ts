// Live fan-out of committed events to open streams. Publishing happens only after
// the append committed, so nothing is shown that a crash could take back.
import type { StoredEvent } from '../store/index.js';

export type Listener = (events: readonly StoredEvent[]) => void;

export class EventHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(sessionId: string, listener: Listener): () => void {
    let set = this.listeners.get(sessionId);
    if (!set) {
      set = new Set();
      this.listeners.set(sessionId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(sessionId);
    };
  }

  publish(sessionId: string, events: readonly StoredEvent[]): void {
    const set = this.listeners.get(sessionId);
    if (!set) return;
    for (const listener of [...set]) listener(events);
  }

  /** Stream-only previews (event_start / event_delta): never stored, best effort. */
  preview(sessionId: string, frame: { type: string; [key: string]: unknown }): void {
    this.publish(sessionId, [{ seq: -1, event: { ...frame, id: '', processed_at: '' } as StoredEvent['event'] }]);
  }
}
