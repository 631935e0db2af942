// A series id as the tools print it: the metric name and its labels, `name{a="x",b="y"}`
// (values escaped as in Prometheus exposition).

const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** `name{a="x",b="y"}` as its name and labels. */
export function parseSeriesId(id: string): { name: string; labels: Record<string, string> } {
  const brace = id.indexOf('{');
  if (brace < 0) return { name: id, labels: {} };
  const labels: Record<string, string> = {};
  for (const match of id.slice(brace).matchAll(LABEL)) labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, '$1');
  return { name: id.slice(0, brace), labels };
}
