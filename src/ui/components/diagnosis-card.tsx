// The diagnosis as a card: category, culprit change and service, a confidence bar,
// the summary, evidence, and the remediation plan with each step's risk. The cause is
// told once, by the summary; the root cause's longer description is in the report.
import { Box, Text } from 'ink';
import type { JSX } from 'react';
import type { Diagnosis } from '../../protocol/diagnosis.js';
import { evidenceDetail, evidenceLabel } from '../../render/evidence.js';
import { stepHeading } from '../../render/describe.js';
import { confidenceBar, stripControl } from '../../render/format.js';
import { useColour } from '../contexts/settings-context.js';

const clean = (text: string): string => stripControl(text, true);

export function DiagnosisCard({ diagnosis }: { diagnosis: Diagnosis }): JSX.Element {
  const colour = useColour();
  const cause = diagnosis.root_cause;
  const riskColour = (risk: string): ReturnType<typeof colour> =>
    risk === 'high' ? colour('red') : risk === 'medium' ? colour('yellow') : colour('green');
  const where = [cause.service ? `service ${cause.service}` : null, cause.change_id ? `change ${cause.change_id}` : null].filter(
    (part): part is string => part !== null,
  );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={colour('green')} paddingX={1}>
      <Text wrap="truncate-end">
        <Text color={colour('green')} bold>
          ◆ Diagnosis{' '}
        </Text>
        <Text bold>{cause.category}</Text>
      </Text>
      {where.length > 0 ? <Text>{clean(where.join(' · '))}</Text> : null}
      <Text>
        confidence <Text color={colour('green')}>{confidenceBar(diagnosis.confidence)}</Text> {Math.round(diagnosis.confidence * 100)}%
      </Text>
      <Box marginTop={1}>
        <Text>{clean(diagnosis.summary)}</Text>
      </Box>
      {diagnosis.evidence.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Evidence</Text>
          {diagnosis.evidence.map((item, index) => (
            <Box key={index}>
              <Box flexShrink={0} marginRight={1}>
                <Text>•</Text>
              </Box>
              <Text>
                <Text color={colour('cyan')}>{evidenceLabel(item)}</Text> {evidenceDetail(item)}
              </Text>
            </Box>
          ))}
        </Box>
      ) : null}
      {diagnosis.remediation.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Remediation</Text>
          {diagnosis.remediation.map((step, index) => (
            <Box key={index}>
              <Box flexShrink={0} marginRight={1}>
                <Text>{index + 1}.</Text>
              </Box>
              <Text>
                <Text bold>{clean(stepHeading(step))}</Text> · <Text color={riskColour(step.risk)}>risk {step.risk}</Text>
                {step.detail ? ` · ${clean(step.detail)}` : ''}
              </Text>
            </Box>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
