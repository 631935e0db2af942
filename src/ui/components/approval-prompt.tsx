// The prompt for a remediation action waiting for a person. Before anyone answers it shows
// the exact command line, where it runs and whether it can run there; `y` approves this
// exact call once (offered only when it can run), `n` denies it, `d` shows the exact
// input. Left unanswered, it is denied when the timeout runs out, and the deny message
// says so.
import { Box, Text, useInput } from 'ink';
import { useEffect, useState, type JSX } from 'react';
import { cannotRun, commandLine, whereItRuns } from '../../render/action-check.js';
import { formatDuration, stripControl } from '../../render/format.js';
import type { SessionInfo, ToolCallView } from '../../render/view.js';
import { useColour, useSettings } from '../contexts/settings-context.js';
import { useUiActions } from '../contexts/ui-actions-context.js';
import { useUiState } from '../contexts/ui-state-context.js';
import { useTicker } from '../hooks/use-ticker.js';
import { labelOf, matches } from '../keys.js';

export const OPERATOR_DENY_MESSAGE = 'Denied by the operator in the terminal.';

export function timeoutDenyMessage(timeoutMs: number): string {
  return `No answer within ${formatDuration(timeoutMs)}: denied automatically by the terminal.`;
}

export const CANNOT_RUN_NOTE = 'y is not offered: this action cannot run here';

function detailLines(tool: ToolCallView, maxLines: number): string[] {
  const credentials = tool.check?.credentials ?? [];
  const missing = new Set(tool.check?.missing_credentials.map((credential) => credential.name));
  const receives =
    credentials.length === 0 ? [] : [`credentials it receives: ${credentials.map((name) => (missing.has(name) ? `${name} (missing)` : name)).join(', ')}`];
  const lines = [...receives, ...stripControl(JSON.stringify(tool.input, null, 2)).split('\n')];
  if (lines.length <= maxLines) return lines;
  return [...lines.slice(0, Math.max(1, maxLines - 1)), `… ${lines.length - maxLines + 1} more lines`];
}

/** What the person is asked about: the command, where it runs, and whether it can. */
function Facts({ tool, info }: { tool: ToolCallView; info: SessionInfo }): JSX.Element {
  const colour = useColour();
  const check = tool.check;
  const blocked = cannotRun(check);
  return (
    <Box flexDirection="column">
      <Box>
        <Box width={7} flexShrink={0}>
          <Text dimColor>runs</Text>
        </Box>
        {check?.argv ? (
          <Text wrap="wrap" color={colour('cyan')}>
            {commandLine(check.argv)}
          </Text>
        ) : (
          <Text wrap="wrap" dimColor>
            {check ? 'no command could be built from this input' : 'not reported by the runtime: it is checked only when it runs'}
          </Text>
        )}
      </Box>
      {check ? (
        <Box>
          <Box width={7} flexShrink={0}>
            <Text dimColor>where</Text>
          </Box>
          <Text wrap="wrap">{whereItRuns(check, { url: info.runtimeUrl ?? null, host: info.handsHost ?? null })}</Text>
        </Box>
      ) : null}
      {blocked !== null ? (
        <Text color={colour('red')} wrap="wrap">
          ✗ cannot run: {blocked}
        </Text>
      ) : check?.can_run === null ? (
        <Text color={colour('yellow')} wrap="wrap">
          ! {stripControl(check.problem ?? 'it could not be checked', true)}
        </Text>
      ) : null}
    </Box>
  );
}

export function ApprovalPrompt({ tool, showDetails, maxDetailLines }: { tool: ToolCallView; showDetails: boolean; maxDetailLines: number }): JSX.Element {
  const { answering, view, info } = useUiState();
  // An action that cannot run is not put to the person: only a denial is offered.
  const blocked = cannotRun(tool.check) !== null;
  const [refused, setRefused] = useState(false);
  const actions = useUiActions();
  const { approvalTimeoutMs } = useSettings();
  const colour = useColour();
  const sending = answering.includes(tool.id);
  // The clock starts when the prompt is shown: a resumed session's old approval gets the full time.
  const [deadline] = useState(() => Date.now() + approvalTimeoutMs);
  const now = useTicker(1000, !sending);

  useEffect(() => {
    if (sending) return;
    const timer = setTimeout(() => actions.deny(tool.id, timeoutDenyMessage(approvalTimeoutMs)), Math.max(0, deadline - Date.now()));
    return () => clearTimeout(timer);
  }, [actions, tool.id, sending, deadline, approvalTimeoutMs]);

  useInput(
    (input, key) => {
      // An action that cannot run is never approved: the key only says why it is not offered.
      if (matches('approve', input, key) && blocked) setRefused(true);
      else if (matches('approve', input, key)) actions.approve(tool.id);
      else if (matches('deny', input, key)) actions.deny(tool.id, OPERATOR_DENY_MESSAGE);
      else if (matches('details', input, key)) actions.toggleDetails();
    },
    { isActive: !sending },
  );

  const more = view.pendingApprovals.length - 1;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={colour('yellow')} paddingX={1}>
      <Text color={colour('yellow')} bold wrap="truncate-end">
        {blocked ? 'This action cannot run' : 'Approve this action?'}
        {more > 0 ? ` (${more} more waiting)` : ''}
      </Text>
      <Text wrap="wrap">
        <Text bold>{tool.name}</Text> {stripControl(tool.keyArgs, true)}
      </Text>
      <Facts tool={tool} info={info} />
      {refused ? <Text color={colour('yellow')}>{CANNOT_RUN_NOTE}</Text> : null}
      {showDetails ? (
        <Box flexDirection="column" marginY={1}>
          {detailLines(tool, maxDetailLines).map((line, index) => (
            <Text key={index} color={colour('cyan')} wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
      {sending ? (
        <Text dimColor>sending your answer…</Text>
      ) : (
        <Text wrap="wrap">
          {blocked ? null : (
            <>
              <Text bold>{labelOf('approve')}</Text> approve once ·{' '}
            </>
          )}
          <Text bold>{labelOf('deny')}</Text> deny · <Text bold>{labelOf('details')}</Text>{' '}
          {showDetails ? 'hide' : 'details'} · <Text bold>{labelOf('interrupt')}</Text> interrupt{' '}
          <Text dimColor>· auto-deny in {formatDuration(Math.max(0, deadline - now))}</Text>
        </Text>
      )}
    </Box>
  );
}
