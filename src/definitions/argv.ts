// The rule for parameters in an action's argv: `{name}` stands for the parameter's value,
// as a whole element or inside one (`--replicas={replicas}`). Values are put in place,
// never handed to a shell. Braces that do not hold a plain name (a JSONPath such as
// `{.status}`) stay as written. The hands fill argv by the same rule.

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The parameter names one argv element refers to, in order. */
export function placeholderNames(element: string): string[] {
  return [...element.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}
