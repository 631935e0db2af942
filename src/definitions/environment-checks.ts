// Rules of an environment definition that span fields: names are unique, every argv
// placeholder names a declared parameter, parameters agree with their own type, and
// actions use only declared credentials.
import { placeholderNames } from './argv.js';
import type { ActionDefinition, ActionParameter, EnvironmentDefinition } from './environment-schema.js';
import { formatPath, oneOf, type DefinitionIssue, type PathSegment } from './issues.js';

function duplicates(names: readonly string[], at: (index: number) => PathSegment[], what: string): DefinitionIssue[] {
  const first = new Map<string, number>();
  const issues: DefinitionIssue[] = [];
  names.forEach((name, index) => {
    const seen = first.get(name);
    if (seen === undefined) first.set(name, index);
    else {
      const firstAt = at(seen);
      if (firstAt[firstAt.length - 1] === 'name') firstAt.pop();
      issues.push({ path: at(index), message: `${what} ${name} is already listed at ${formatPath(firstAt)}; names must be unique` });
    }
  });
  return issues;
}

function fitsType(value: unknown, type: ActionParameter['type']): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

const TYPE_WORDS: Record<ActionParameter['type'], string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
};

function parameterIssues(parameter: ActionParameter, at: PathSegment[]): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  let pattern: RegExp | undefined;
  if (parameter.pattern !== undefined) {
    if (parameter.type !== 'string') issues.push({ path: [...at, 'pattern'], message: `applies only to type string (this parameter is ${parameter.type})` });
    try {
      pattern = new RegExp(parameter.pattern, 'u');
    } catch (error) {
      issues.push({ path: [...at, 'pattern'], message: `must be a valid regular expression (${(error as Error).message})` });
    }
  }
  parameter.enum?.forEach((value, index) => {
    if (!fitsType(value, parameter.type)) issues.push({ path: [...at, 'enum', index], message: `must be ${TYPE_WORDS[parameter.type]}, like the parameter's type` });
  });
  if (parameter.default !== undefined) {
    const value = parameter.default;
    const path = [...at, 'default'];
    if (!fitsType(value, parameter.type)) issues.push({ path, message: `must be ${TYPE_WORDS[parameter.type]}, like the parameter's type` });
    else if (parameter.enum && !parameter.enum.includes(value)) issues.push({ path, message: `must be one of the enum values: ${oneOf(parameter.enum)}` });
    else if (pattern && typeof value === 'string' && !pattern.test(value)) issues.push({ path, message: `must match the pattern ${parameter.pattern}` });
  }
  return issues;
}

function actionIssues(action: ActionDefinition, index: number, credentials: ReadonlySet<string>): DefinitionIssue[] {
  const at: PathSegment[] = ['actions', index];
  const issues: DefinitionIssue[] = [];
  const declared = Object.keys(action.parameters);
  const program = action.argv[0] ?? '';
  if (program.trim() === '') issues.push({ path: [...at, 'argv', 0], message: 'must name the program to run' });
  else if (placeholderNames(program).length > 0) issues.push({ path: [...at, 'argv', 0], message: 'must be a fixed program: a parameter may fill in its arguments, never choose what runs' });
  action.argv.forEach((element, position) => {
    for (const name of placeholderNames(element)) {
      const parameter = action.parameters[name];
      if (parameter === undefined) {
        const known = declared.length > 0 ? `declared: ${declared.join(', ')}` : 'it declares none';
        issues.push({ path: [...at, 'argv', position], message: `{${name}} is not a parameter of action ${action.name} (${known})` });
      } else if (!parameter.required && parameter.default === undefined && element !== `{${name}}`) {
        // Alone in its element, an optional value that was not given drops the element;
        // inside a longer element there is nothing sensible to put in its place.
        issues.push({
          path: [...at, 'argv', position],
          message: `{${name}} is optional without a default, so it may only stand alone as a whole argv element; give ${name} a default, make it required, or make it its own element`,
        });
      }
    }
  });
  for (const [name, parameter] of Object.entries(action.parameters)) issues.push(...parameterIssues(parameter, [...at, 'parameters', name]));
  action.credentials.forEach((name, position) => {
    if (!credentials.has(name)) {
      const known = credentials.size > 0 ? `declared: ${[...credentials].join(', ')}` : 'none are declared';
      issues.push({ path: [...at, 'credentials', position], message: `${name} is not a declared credential (${known}); add it under credentials with from_env` });
    }
  });
  issues.push(...duplicates(action.credentials, (i) => [...at, 'credentials', i], 'credential'));
  return issues;
}

/** Rules that span fields; run once the shape is valid. */
export function environmentIssues(environment: EnvironmentDefinition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const allowed = new Set(environment.env.allow);
  environment.credentials.forEach((credential, index) => {
    if (credential.from_env === 'ANTHROPIC_API_KEY') {
      issues.push({ path: ['credentials', index, 'from_env'], message: 'ANTHROPIC_API_KEY is the brain\'s key; an action may never receive it' });
    }
    const variable = credential.name.toUpperCase();
    if (allowed.has(variable)) {
      issues.push({ path: ['credentials', index, 'name'], message: `${credential.name} reaches actions as ${variable}, which env.allow already passes through; choose another name` });
    }
  });
  issues.push(...duplicates(environment.credentials.map((c) => c.name), (i) => ['credentials', i, 'name'], 'credential'));
  const credentials = new Set(environment.credentials.map((c) => c.name));
  environment.actions.forEach((action, index) => issues.push(...actionIssues(action, index, credentials)));
  issues.push(...duplicates(environment.actions.map((a) => a.name), (i) => ['actions', i, 'name'], 'action'));
  issues.push(...duplicates(environment.mcp_servers.map((s) => s.name), (i) => ['mcp_servers', i, 'name'], 'MCP server'));
  if (environment.hands !== undefined && environment.mcp_servers.length > 0) {
    // Their tools are listed by starting them, which only the runtime's own worker does.
    issues.push({ path: ['mcp_servers'], message: `other MCP servers run only with hands: local (this environment's hands run on the ${environment.hands}); remove them or drop the hands field` });
  }
  // The intake's log commands get the credentials they list, as actions do.
  environment.intake?.routes.forEach((route, index) => {
    route.credentials.forEach((name, position) => {
      if (!credentials.has(name)) issues.push({ path: ['intake', 'routes', index, 'credentials', position], message: `${name} is not a declared credential; add it under credentials with from_env` });
    });
  });
  // So do the live sources' log commands and git.
  environment.sources?.credentials.forEach((name, position) => {
    if (!credentials.has(name)) issues.push({ path: ['sources', 'credentials', position], message: `${name} is not a declared credential; add it under credentials with from_env` });
  });
  return issues;
}
