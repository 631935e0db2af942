import { describe, expect, it } from 'vitest';
import { DefinitionError, EXIT, InputError } from '../../src/errors.js';
import { InvalidDefinitionError, parseAgentDefinition, toolPermission } from '../../src/definitions/index.js';
import { SRE_TOOL_NAMES } from '../../src/protocol/tools.js';
import { AGENT, issuesOf } from './helpers.js';

const FILE = 'agents/sre.yaml';
const parse = (text: string) => () => parseAgentDefinition(text, FILE);

describe('parseAgentDefinition', () => {
  it('parses a minimal agent and fills in the defaults', () => {
    expect(parseAgentDefinition(AGENT, FILE)).toEqual({
      name: 'sre',
      description: '',
      model: { id: 'claude-opus-4-8' },
      max_steps: 40,
      system: 'Investigate.',
      tools: [
        { name: 'describe_bundle', permission: 'always_allow' },
        { name: 'submit_diagnosis', permission: 'always_allow' },
      ],
      actions_permission: 'always_ask',
    });
  });

  it('reads model as a map with an effort', () => {
    const agent = parseAgentDefinition(AGENT.replace('model: claude-opus-4-8', 'model: { id: claude-opus-4-8, effort: high }'), FILE);
    expect(agent.model).toEqual({ id: 'claude-opus-4-8', effort: 'high' });
  });

  it('reads thinking: adaptive, disabled, or a budget of at least 1024 tokens', () => {
    const withThinking = (value: string) => parse(AGENT.replace('model: claude-opus-4-8', `model: { id: claude-opus-4-8, thinking: ${value} }`));
    expect(parseAgentDefinition(AGENT.replace('model: claude-opus-4-8', 'model: { id: claude-opus-4-8, thinking: adaptive }'), FILE).model.thinking).toBe('adaptive');
    expect(parseAgentDefinition(AGENT.replace('model: claude-opus-4-8', 'model: { id: claude-opus-4-8, thinking: 4096 }'), FILE).model.thinking).toBe(4096);
    expect(issuesOf(withThinking('512')).join('\n')).toContain('a thinking budget must be at least 1024 tokens');
    expect(issuesOf(withThinking('sometimes'))).not.toEqual([]);
  });

  it('accepts action_<name> tools', () => {
    const text = `${AGENT}  - name: action_rollback\n    permission: always_ask\n`;
    expect(parseAgentDefinition(text, FILE).tools[2]).toEqual({ name: 'action_rollback', permission: 'always_ask' });
  });

  it('points a bad permission at its value', () => {
    expect(issuesOf(parse(AGENT.replace('    permission: always_allow\n', '    permission: always\n')))).toEqual([
      'agents/sre.yaml:6:17 tools[0].permission: must be always_allow or always_ask',
    ]);
  });

  it('points a missing key at the map that lacks it', () => {
    const text = AGENT.replace('  - name: submit_diagnosis\n    permission: always_allow\n', '  - name: submit_diagnosis\n');
    expect(issuesOf(parse(text))).toEqual(['agents/sre.yaml:7:5 tools[1].permission: is required (always_allow or always_ask)']);
    expect(issuesOf(parse(AGENT.replace('system: Investigate.\n', '')))).toEqual(['agents/sre.yaml:1:1 system: is required (a string)']);
  });

  it('points an empty value at its key', () => {
    expect(issuesOf(parse(AGENT.replace('    permission: always_allow\n', '    permission:\n')))).toEqual([
      'agents/sre.yaml:6:5 tools[0].permission: must be always_allow or always_ask',
    ]);
  });

  it('rejects a tool that is neither an SRE tool nor action_<name>', () => {
    const allowed = `${SRE_TOOL_NAMES.join(', ')}, or action_<name> for an action the environment declares`;
    expect(issuesOf(parse(AGENT.replace('name: describe_bundle', 'name: describe_bundel')))).toEqual([
      `agents/sre.yaml:5:11 tools[0].name: must be one of ${allowed}`,
    ]);
    expect(issuesOf(parse(AGENT.replace('name: describe_bundle', 'name: action_Rollback')))).toEqual([
      `agents/sre.yaml:5:11 tools[0].name: must be one of ${allowed}`,
    ]);
  });

  it('shows the shape of a tool entry when one is written as a bare name', () => {
    expect(issuesOf(parse(AGENT.replace('  - name: describe_bundle\n    permission: always_allow\n', '  - describe_bundle\n')))).toEqual([
      'agents/sre.yaml:5:5 tools[0]: must be a map with name and permission (like { name: describe_bundle, permission: always_allow }), not "describe_bundle"',
    ]);
  });

  it('rejects a tool listed twice', () => {
    const text = `${AGENT}  - name: describe_bundle\n    permission: always_ask\n`;
    expect(issuesOf(parse(text))).toEqual(['agents/sre.yaml:9:11 tools[2].name: describe_bundle is already listed at tools[0]; list each tool once']);
  });

  it('requires submit_diagnosis', () => {
    const text = AGENT.replace('  - name: submit_diagnosis\n    permission: always_allow\n', '');
    expect(issuesOf(parse(text))).toEqual([
      'agents/sre.yaml:5:3 tools: must include submit_diagnosis: every investigation ends by submitting its diagnosis',
    ]);
  });

  it('checks the name, the step budget, the model and the prompt', () => {
    expect(issuesOf(parse(AGENT.replace('name: sre', 'name: SRE Agent')))).toEqual([
      'agents/sre.yaml:1:7 name: must be lowercase letters, digits and dashes, starting with a letter or digit (like sre or db-oncall)',
    ]);
    expect(issuesOf(parse(`${AGENT}max_steps: 0\n`))).toEqual(['agents/sre.yaml:9:12 max_steps: must be a whole number from 1 to 500']);
    expect(issuesOf(parse(`${AGENT}max_steps: 2.5\n`))).toEqual(['agents/sre.yaml:9:12 max_steps: must be a whole number from 1 to 500']);
    expect(issuesOf(parse(`${AGENT}max_steps: ten\n`))).toEqual(['agents/sre.yaml:9:12 max_steps: must be a whole number from 1 to 500, not "ten"']);
    expect(issuesOf(parse(AGENT.replace('model: claude-opus-4-8', 'model: [a, b]')))).toEqual([
      'agents/sre.yaml:2:8 model: must be a model id such as claude-opus-4-8, or a map with id, effort and thinking, not a list',
    ]);
    expect(issuesOf(parse(AGENT.replace('model: claude-opus-4-8', 'model: { id: claude-opus-4-8, effort: extreme }')))).toEqual([
      'agents/sre.yaml:2:39 model.effort: must be low, medium, high, xhigh or max',
    ]);
    expect(issuesOf(parse(AGENT.replace('system: Investigate.', 'system: "  "')))).toEqual(['agents/sre.yaml:3:9 system: must not be empty']);
    expect(issuesOf(parse(`${AGENT}actions_permission: never\n`))).toEqual(['agents/sre.yaml:9:21 actions_permission: must be always_allow or always_ask']);
  });

  it('points an unknown key at the key and says which keys are allowed', () => {
    expect(issuesOf(parse(`${AGENT}permissions: always_ask\n`))).toEqual([
      'agents/sre.yaml:9:1 permissions: unknown key (allowed here: name, description, model, max_steps, system, tools, actions_permission)',
    ]);
    expect(issuesOf(parse(AGENT.replace('    permission: always_allow\n', '    permission: always_allow\n    timeout: 3\n')))).toEqual([
      'agents/sre.yaml:7:5 tools[0].timeout: unknown key (allowed here: name, permission)',
    ]);
  });

  it('says what the file should hold when it is empty or not a map', () => {
    expect(issuesOf(parse(''))).toEqual([
      'agents/sre.yaml:1:1 an agent definition must be a YAML map with at least name, model, system and tools, not empty',
    ]);
    expect(issuesOf(parse('- name: sre\n'))).toEqual([
      'agents/sre.yaml:1:1 an agent definition must be a YAML map with at least name, model, system and tools, not a list',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(issuesOf(parse(`${AGENT}name: other\n`))).toEqual(['agents/sre.yaml:9:1 YAML syntax: Map keys must be unique']);
    expect(issuesOf(parse('name: sre\nmodel: [a, b\n'))).toEqual([
      'agents/sre.yaml:3:1 YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('lists issues in file order whatever order the schema finds them', () => {
    const text = AGENT.replace('name: sre', 'name: Sre').replace('    permission: always_allow\n', '    permission: maybe\n').replace('system: Investigate.\n', 'system: 42\n');
    expect(issuesOf(parse(text))).toEqual([
      'agents/sre.yaml:1:7 name: must be lowercase letters, digits and dashes, starting with a letter or digit (like sre or db-oncall)',
      'agents/sre.yaml:3:9 system: must be a string, not 42',
      'agents/sre.yaml:6:17 tools[0].permission: must be always_allow or always_ask',
    ]);
  });

  it('throws a DefinitionError: first issue as the message, the count of the rest in the hint', () => {
    const text = [
      'name: Bad',
      'model: 1',
      'system: ""',
      'tools:',
      '  - { name: nope, permission: always_allow }',
      '  - { name: submit_diagnosis, permission: no }',
      'max_steps: 0',
      'colour: blue',
      '',
    ].join('\n');
    let thrown: unknown;
    try {
      parseAgentDefinition(text, 'my agents/bad.yaml');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidDefinitionError);
    expect(thrown).toBeInstanceOf(DefinitionError);
    expect(thrown).toBeInstanceOf(InputError);
    const error = thrown as InvalidDefinitionError;
    expect(error.exitCode).toBe(EXIT.badInput);
    expect(error.issues).toHaveLength(7);
    expect(error.message).toBe(error.issues[0]);
    expect(error.message).toBe('my agents/bad.yaml:1:7 name: must be lowercase letters, digits and dashes, starting with a letter or digit (like sre or db-oncall)');
    expect(error.hint).toBe("6 more issues; run `incident agents validate 'my agents/bad.yaml'` to list them");
    expect(error.report()).toEqual([...error.issues.slice(0, 5), '… and 2 more issues']);
    expect(error.report(10)).toEqual(error.issues);
  });

  it('says how to check again when there is one issue', () => {
    let error: InvalidDefinitionError | undefined;
    try {
      parseAgentDefinition(AGENT.replace('name: sre', 'name: S'), FILE);
    } catch (thrown) {
      error = thrown as InvalidDefinitionError;
    }
    expect(error?.hint).toBe('fix it, then check with `incident agents validate agents/sre.yaml`');
    expect(error?.oneLine()).toBe(`${error?.issues[0]} (fix it, then check with \`incident agents validate agents/sre.yaml\`)`);
  });
});

describe('toolPermission', () => {
  const agent = parseAgentDefinition(`${AGENT}  - name: action_scale\n    permission: always_allow\n`, FILE);

  it('uses the listed policy, actions_permission for unlisted actions, and nothing for other tools', () => {
    expect(toolPermission(agent, 'describe_bundle')).toBe('always_allow');
    expect(toolPermission(agent, 'action_scale')).toBe('always_allow');
    expect(toolPermission(agent, 'action_rollback')).toBe('always_ask');
    expect(toolPermission(agent, 'search_logs')).toBeUndefined();
  });
});
