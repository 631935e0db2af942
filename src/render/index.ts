// Pure renderers of the session event log: fold, then format as plain lines, human
// text, NDJSON, the --json result or the markdown report. No Ink, no I/O.
export type {
  FoldOptions,
  HypothesisView,
  MessageView,
  NoticeLevel,
  RejectedDiagnosis,
  SessionErrorView,
  SessionInfo,
  SessionStatus,
  SessionView,
  TimelineItem,
  ToolCallView,
  ToolKind,
  ToolState,
  UsageView,
} from './view.js';
export { PersistentMap, type Lookup } from './persistent-map.js';
export { emptyView, foldEvent, foldEvents, foldSession, elapsedMs } from './fold.js';
export { describeEvent, diagnosisHeadline, type Described, type Tone } from './describe.js';
export { renderPlainLine } from './plain.js';
export { renderHuman, markdownToAnsi, diagnosisToAnsi, type HumanOptions } from './human.js';
export { renderMarkdownReport } from './report.js';
export { diagnosisToJson, outcomeOf, toNdjsonLine, type DiagnosisJson, type Outcome } from './json.js';
export { keyArguments } from './key-args.js';
export { costUsd, priceFor, type ModelPrice, type TokenCounts } from './pricing.js';
export { parseMarkdown, parseInline, type Block, type Inline } from './markdown.js';
export { summarizeResult, parseAcceptedDiagnosis, commandOutput } from './tool-result.js';
export {
  clockTime,
  confidenceBar,
  firstLine,
  formatCost,
  formatDuration,
  formatTokens,
  oneLine,
  stripControl,
  tailLines,
  truncate,
} from './format.js';
