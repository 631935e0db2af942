// A writable copy of a SessionView used while folding one batch of events. Arrays are
// copied once per batch, keyed collections collect changes over a persistent map, and
// records are replaced, never edited, so every view handed out earlier stays exactly as
// it was.
import type { PersistentMap } from './persistent-map.js';
import type {
  HypothesisView,
  MessageView,
  RejectedDiagnosis,
  SessionErrorView,
  SessionView,
  TimelineItem,
  ToolCallView,
  UsageView,
} from './view.js';

/** Changes to a persistent map, committed at the end of the batch. */
export class Overlay<V> {
  private readonly pending = new Map<string, V>();

  constructor(private readonly base: PersistentMap<V>) {}

  get(key: string): V | undefined {
    return this.pending.has(key) ? this.pending.get(key) : this.base.get(key);
  }

  has(key: string): boolean {
    return this.pending.has(key) || this.base.has(key);
  }

  set(key: string, value: V): void {
    this.pending.set(key, value);
  }

  commit(): PersistentMap<V> {
    return this.base.with(this.pending);
  }
}

export interface Draft {
  status: SessionView['status'];
  stopReason: string | null;
  title: string | null;
  seen: Overlay<true>;
  eventCount: number;
  tools: Overlay<ToolCallView>;
  toolOrder: string[];
  messages: MessageView[];
  hypotheses: Record<string, HypothesisView>;
  hypothesisOrder: string[];
  diagnosis: SessionView['diagnosis'];
  rejectedDiagnoses: RejectedDiagnosis[];
  pendingApprovals: string[];
  usage: UsageView;
  errors: SessionErrorView[];
  settled: TimelineItem[];
  live: TimelineItem[];
  previews: Record<string, string>;
  toolOutput: Record<string, string>;
  thinking: boolean;
  interruptedBy: SessionView['interruptedBy'];
  timeoutMarked: boolean;
  timeoutMark: string | null;
  turnFailed: boolean;
  inputQueued: boolean;
  hasRun: boolean;
  modelRequestSince: string | null;
  retrying: SessionErrorView | null;
  startedAt: string | null;
  lastEventAt: string | null;
}

export function beginDraft(view: SessionView): Draft {
  return {
    ...view,
    seen: new Overlay(view.seen),
    tools: new Overlay(view.tools),
    toolOrder: view.toolOrder.slice(),
    messages: view.messages.slice(),
    hypotheses: { ...view.hypotheses },
    hypothesisOrder: view.hypothesisOrder.slice(),
    rejectedDiagnoses: view.rejectedDiagnoses.slice(),
    pendingApprovals: view.pendingApprovals.slice(),
    usage: { ...view.usage },
    errors: view.errors.slice(),
    settled: view.settled.slice(),
    live: view.live.slice(),
    previews: { ...view.previews },
    toolOutput: { ...view.toolOutput },
  };
}

export function finishDraft(draft: Draft): SessionView {
  return { ...draft, seen: draft.seen.commit(), tools: draft.tools.commit() };
}

/** Move a live item to the settled list; a no-op when it is not live. */
export function settle(draft: Draft, key: string): void {
  const index = draft.live.findIndex((item) => item.key === key);
  if (index === -1) return;
  const [item] = draft.live.splice(index, 1);
  if (item) draft.settled.push(item);
}

export function toolKey(toolUseId: string): string {
  return `tool:${toolUseId}`;
}
