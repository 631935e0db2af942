// Grouping accuracy (Zhu et al., "Tools and Benchmarks for Automated Log Parsing", 2019):
// a message counts as parsed correctly only when the messages grouped with it are exactly
// the messages its true event holds, no more and no fewer.

/**
 * The share of messages whose predicted group equals their true group. `predicted[i]` and
 * `truth[i]` are the group labels of message i; labels only need to be comparable.
 */
export function groupingAccuracy(predicted: readonly unknown[], truth: readonly unknown[]): number {
  if (predicted.length !== truth.length) throw new RangeError(`predicted has ${predicted.length} labels, truth has ${truth.length}`);
  if (predicted.length === 0) return 1;
  const truthSizes = new Map<unknown, number>();
  for (const t of truth) truthSizes.set(t, (truthSizes.get(t) ?? 0) + 1);
  const groups = new Map<unknown, { size: number; truth: unknown; pure: boolean }>();
  predicted.forEach((p, i) => {
    const t = truth[i];
    const g = groups.get(p);
    if (!g) groups.set(p, { size: 1, truth: t, pure: true });
    else {
      g.size++;
      if (g.truth !== t) g.pure = false;
    }
  });
  let correct = 0;
  for (const g of groups.values()) if (g.pure && truthSizes.get(g.truth) === g.size) correct += g.size;
  return correct / predicted.length;
}
