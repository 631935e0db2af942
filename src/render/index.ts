// Pure renderers of the session event log: fold, then format as plain lines, human
// text, NDJSON, the --json result or the markdown report. No Ink, no I/O.
export type {
  FoldOptions,
  HypothesisView,
  Interruption,
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
export { describeEvent, diagnosisHeadline, withoutRestatedDiagnosis, type Described, type Tone } from './describe.js';
export { renderPlainLine } from './plain.js';
export { renderHuman, markdownToAnsi, diagnosisToAnsi, type HumanOptions } from './human.js';
export { renderMarkdownReport } from './report.js';
export { diagnosisToJson, toNdjsonLine, type DiagnosisJson } from './json.js';
export { OUTCOMES, OUTCOME_LABEL_WIDTH, TIMEOUT_MARK_KEY, outcomeLabel, outcomeOf, type Outcome } from './outcome.js';
export { totalTokens, usageFacts, usesNoTokens, waitingOf, type Waiting } from './activity.js';
export { explainError, type ErrorFacts, type ExplainedError } from './session-error.js';
export { evidenceDetail, evidenceLabel } from './evidence.js';
export { cannotRun, commandLine, whereItRuns, type RuntimePlace } from './action-check.js';
export { hang } from './wrap.js';
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
