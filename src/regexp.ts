// Text made literal inside a regular expression: one definition, so a pattern built from a
// name, a host or a change id never reads a dot or a bracket in it as syntax.

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
