// The agent definition (agents/*.yaml): the brain's model, prompt, step budget and the
// tools it may call with a permission policy each. One schema; the types come from it.
import { z } from 'zod';
import { ACTION_TOOL_PREFIX, SRE_TOOL_NAMES } from '../protocol/tools.js';
import { definitionName, intBetween, nonEmptyText } from './fields.js';
import { describeValue, formatPath, topLevelError, type DefinitionIssue } from './issues.js';

export const PERMISSIONS = ['always_allow', 'always_ask'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
export type Effort = (typeof EFFORTS)[number];

export const DEFAULT_MAX_STEPS = 40;

const ACTION_TOOL = new RegExp(`^${ACTION_TOOL_PREFIX}[a-z][a-z0-9_]*$`);
const SRE_TOOLS: ReadonlySet<string> = new Set(SRE_TOOL_NAMES);

/** Whether `name` may appear in an agent's tools: an SRE tool or `action_<name>`. */
export function isKnownToolName(name: string): boolean {
  return SRE_TOOLS.has(name) || ACTION_TOOL.test(name);
}

const MODEL_ALLOWED = 'a model id such as claude-opus-4-8, or a map with id, effort and thinking';

// `model: claude-opus-4-8` and `model: { id: claude-opus-4-8 }` mean the same; both
// parse to the map form so consumers read one shape and the hash sees one meaning.
const ModelSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { id: value } : value),
  z.strictObject(
    {
      id: z.string().trim().min(1, 'must not be empty (a model id such as claude-opus-4-8)'),
      effort: z.enum(EFFORTS).optional(),
      // adaptive: the model decides when to think; disabled; or a budget of thinking tokens.
      thinking: z.union([z.enum(['adaptive', 'disabled']), z.number().int().min(1024, 'a thinking budget must be at least 1024 tokens')]).optional(),
    },
    {
      error: (issue) => {
        if (issue.code !== 'invalid_type') return undefined;
        return issue.input === undefined ? `is required (${MODEL_ALLOWED})` : `must be ${MODEL_ALLOWED}, not ${describeValue(issue.input)}`;
      },
    },
  ),
);

const TOOL_ENTRY = 'a map with name and permission (like { name: describe_bundle, permission: always_allow })';

export const AgentToolSchema = z.strictObject(
  {
    name: z
      .string()
      .refine(isKnownToolName, `must be one of ${SRE_TOOL_NAMES.join(', ')}, or ${ACTION_TOOL_PREFIX}<name> for an action the environment declares`),
    permission: z.enum(PERMISSIONS),
  },
  {
    error: (issue) => (issue.code === 'invalid_type' && issue.input !== undefined ? `must be ${TOOL_ENTRY}, not ${describeValue(issue.input)}` : undefined),
  },
);

export const AgentDefinitionSchema = z.strictObject(
  {
    name: definitionName,
    description: z.string().default(''),
    model: ModelSchema,
    max_steps: intBetween(1, 500).default(DEFAULT_MAX_STEPS),
    system: nonEmptyText,
    tools: z.array(AgentToolSchema).min(1),
    actions_permission: z.enum(PERMISSIONS).default('always_ask'),
  },
  { error: topLevelError('an agent definition', ['name', 'model', 'system', 'tools']) },
);

/**
 * An agent as parsed from YAML, defaults applied:
 * `{ name, description (default ''), model: { id, effort?, thinking? }, max_steps (default 40),
 *    system, tools: [{ name, permission }], actions_permission (default always_ask) }`.
 * `model` is always the map form, even when the file gives a bare id.
 */
export type AgentDefinition = z.output<typeof AgentDefinitionSchema>;
/** The agent's model: `{ id: 'claude-opus-4-8', effort?: 'high', thinking?: 'adaptive' | 'disabled' | <tokens> }`. */
export type AgentModel = AgentDefinition['model'];
/** One tool the agent may call: an SRE tool or `action_<name>`, with its permission policy. */
export type AgentTool = z.output<typeof AgentToolSchema>;

/** Rules that span fields; run once the shape is valid. */
export function agentIssues(agent: AgentDefinition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const firstIndex = new Map<string, number>();
  agent.tools.forEach((tool, index) => {
    const first = firstIndex.get(tool.name);
    if (first === undefined) firstIndex.set(tool.name, index);
    else issues.push({ path: ['tools', index, 'name'], message: `${tool.name} is already listed at ${formatPath(['tools', first])}; list each tool once` });
  });
  if (!firstIndex.has('submit_diagnosis')) {
    issues.push({ path: ['tools'], message: 'must include submit_diagnosis: every investigation ends by submitting its diagnosis' });
  }
  return issues;
}

/**
 * The permission policy for a tool call, or undefined when the agent may not call it.
 * Actions the agent does not list fall under `actions_permission`.
 */
export function toolPermission(agent: AgentDefinition, toolName: string): Permission | undefined {
  const listed = agent.tools.find((tool) => tool.name === toolName);
  if (listed) return listed.permission;
  return toolName.startsWith(ACTION_TOOL_PREFIX) ? agent.actions_permission : undefined;
}
