// Who answers each tool call of a session, decided from what cannot change while it
// lives (its agent snapshot, where its environment's hands run, the environment's
// actions), so a restarted runtime routes every call of its log the same way:
//
// - `runtime`: the runtime answers it itself (note_hypothesis, submit_diagnosis);
// - `environment`: the runtime's own environment worker runs it (agent.tool_use, then
//   agent.tool_result);
// - `refused`: a toolset tool the local runtime does not run (bash, write, edit): answered
//   with a tool error that says why;
// - `custom`: an agent custom tool the runtime's environment does not run: the session
//   emits agent.custom_tool_use and waits for the client's user.custom_tool_result;
// - `hands`: an agent.tool_use answered by hands outside the runtime with user.tool_result
//   (a self-hosted environment's tools, and the environment's actions when its hands run
//   on the client or a worker). A call that waits for a person takes this route rather
//   than `custom`, since only an agent.tool_use carries a permission to confirm; an
//   action the agent itself declares as a custom tool stays `custom`, as the API has it.
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { HandsPlace } from '../definitions/index.js';
import { AGENT_TOOLSET_TYPE, isRefusedToolsetTool, isToolsetTool, toolsetSpec, type ToolsetToolName } from '../protocol/agent-toolset.js';
import { ACTION_TOOL_PREFIX, RUNTIME_TOOL_NAMES, SRE_TOOL_NAMES, type ToolSpec } from '../protocol/tools.js';

export type CallRoute = 'runtime' | 'environment' | 'refused' | 'custom' | 'hands';
export type Permission = 'allow' | 'ask';

interface PolicyConfig {
  enabled?: unknown;
  permission_policy?: { type?: unknown } | null;
}

function policyOf(config: PolicyConfig | undefined, fallback: { enabled: boolean; permission: Permission }): { enabled: boolean; permission: Permission } {
  const enabled = typeof config?.enabled === 'boolean' ? config.enabled : fallback.enabled;
  const type = config?.permission_policy?.type;
  const permission = type === 'always_ask' ? 'ask' : type === undefined ? fallback.permission : 'allow';
  return { enabled, permission };
}

/** The toolset tools an agent enables, with their permission (the API's default: enabled, always_allow). */
export function agentToolset(agent: Pick<BetaManagedAgentsAgent, 'tools'>): Map<ToolsetToolName, Permission> {
  const tools = new Map<ToolsetToolName, Permission>();
  for (const tool of agent.tools as unknown as Array<{ type?: unknown; default_config?: PolicyConfig; configs?: unknown }>) {
    if (tool.type !== AGENT_TOOLSET_TYPE) continue;
    const defaults = policyOf(tool.default_config ?? undefined, { enabled: true, permission: 'allow' });
    const configs = Array.isArray(tool.configs) ? (tool.configs as Array<PolicyConfig & { name?: unknown }>) : [];
    for (const name of ['read', 'glob', 'grep', 'bash', 'write', 'edit'] as const) {
      const own = policyOf(configs.find((config) => config.name === name), defaults);
      if (own.enabled) tools.set(name, own.permission);
    }
  }
  return tools;
}

/** Tools whose calls wait for a person: every remediation action, plus any the agent marks always_ask. */
export function permissionFor(agent: BetaManagedAgentsAgent, toolName: string): Permission {
  if (toolName.startsWith(ACTION_TOOL_PREFIX)) return 'ask';
  const toolset = isToolsetTool(toolName) ? agentToolset(agent).get(toolName) : undefined;
  if (toolset !== undefined) return toolset;
  const asked = (agent.metadata['incident.always_ask'] ?? '').split(',').map((name) => name.trim());
  return asked.includes(toolName) ? 'ask' : 'allow';
}

export function agentToolSpecs(agent: BetaManagedAgentsAgent): ToolSpec[] {
  const specs: ToolSpec[] = [];
  for (const tool of agent.tools) {
    if (tool.type === 'custom') {
      specs.push({ name: tool.name, description: tool.description, input_schema: tool.input_schema as ToolSpec['input_schema'] });
    }
  }
  for (const name of agentToolset(agent).keys()) specs.push(toolsetSpec(name));
  return specs;
}

const SRE_NAMES: ReadonlySet<string> = new Set(SRE_TOOL_NAMES);
const RUNTIME_NAMES: ReadonlySet<string> = new Set(RUNTIME_TOOL_NAMES);

export class CallRoutes {
  private readonly custom: ReadonlySet<string>;
  private readonly toolset: ReadonlyMap<ToolsetToolName, Permission>;

  constructor(
    private readonly agent: BetaManagedAgentsAgent,
    /** Where the session's environment runs its hands. */
    readonly place: HandsPlace,
    /** Tools the environment adds (its actions, its external servers' tools); read at each step. */
    private readonly extraTools: () => readonly ToolSpec[],
  ) {
    this.custom = new Set(agent.tools.flatMap((tool) => (tool.type === 'custom' ? [tool.name] : [])));
    this.toolset = agentToolset(agent);
  }

  /** What the brain may call. */
  tools(): ToolSpec[] {
    // An action the agent declares itself (as a client for Claude Managed Agents does) is offered once.
    return [...agentToolSpecs(this.agent), ...this.extraTools().filter((tool) => !this.custom.has(tool.name))];
  }

  permission(name: string): Permission {
    return permissionFor(this.agent, name);
  }

  /** Who answers a call to this tool, or null when it is not a tool of this session. */
  route(name: string): CallRoute | null {
    if (RUNTIME_NAMES.has(name)) return 'runtime';
    if (this.custom.has(name)) {
      if (this.place === 'local' && SRE_NAMES.has(name)) return 'environment';
      // An action the agent declares as a custom tool is answered, and gated, by the client, as
      // on Claude Managed Agents, where custom tools ignore permission policies. In the
      // runtime's own environment it runs after a confirmation, as its actions always do, and
      // a worker gets it only after one (it asks no one itself).
      if (name.startsWith(ACTION_TOOL_PREFIX) && this.place === 'client') return 'custom';
      if (name.startsWith(ACTION_TOOL_PREFIX) && this.place === 'local' && this.extraTools().some((tool) => tool.name === name)) return 'environment';
      return this.permission(name) === 'ask' ? 'hands' : 'custom';
    }
    if (isToolsetTool(name) && this.toolset.has(name)) {
      if (this.place === 'worker') return 'hands';
      return isRefusedToolsetTool(name) ? 'refused' : 'environment';
    }
    if (this.extraTools().some((tool) => tool.name === name)) return this.place === 'local' ? 'environment' : 'hands';
    return null;
  }

  /** For the ledger: an agent.tool_use the runtime answers itself. */
  readonly runsHere = (name: string): boolean => {
    const route = this.route(name);
    return route !== 'hands' && route !== 'custom';
  };
}
