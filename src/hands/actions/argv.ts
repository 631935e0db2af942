// Fills an action's argv template with validated values. A value always lands inside one
// argv element (`{service}` alone, or `deployment/{service}`): nothing is ever handed to
// a shell, so a value cannot become a second command or split into more arguments.
import type { ParameterConfig } from '../worker-config.js';
import type { ParameterValue } from './parameters.js';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLE = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export type Rendered = { ok: true; argv: string[] } | { ok: false; error: string };

export function renderArgv(
  template: readonly string[],
  values: Readonly<Record<string, ParameterValue>>,
  parameters: Readonly<Record<string, ParameterConfig>>,
): Rendered {
  const argv: string[] = [];
  for (const [index, element] of template.entries()) {
    const whole = WHOLE.exec(element);
    if (whole !== null) {
      const name = whole[1] ?? '';
      const value = values[name];
      // An optional parameter that was not given takes its whole element with it.
      if (value === undefined) continue;
      const text = String(value);
      // A value standing alone could pass as an option (`--kubeconfig=...`), unless the
      // definition itself lists it among the allowed values.
      const listed = parameters[name]?.enum?.some((allowed) => allowed === value) ?? false;
      if (index > 0 && text.startsWith('-') && !listed) {
        return { ok: false, error: `parameter "${name}" may not start with "-" (it would be read as an option): ${JSON.stringify(text)}` };
      }
      argv.push(text);
      continue;
    }
    let missing: string | undefined;
    const filled = element.replace(PLACEHOLDER, (match, name: string) => {
      const value = values[name];
      if (value === undefined) {
        missing ??= name;
        return match;
      }
      return String(value);
    });
    if (missing !== undefined) {
      return { ok: false, error: `argv element ${JSON.stringify(element)} needs parameter "${missing}", which was not given` };
    }
    argv.push(filled);
  }
  if (argv.length === 0 || argv[0] === '') return { ok: false, error: 'the action has no command to run' };
  return { ok: true, argv };
}
