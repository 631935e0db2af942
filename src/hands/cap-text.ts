// Bounding what a tool hands back: the model's context is the scarcest resource.

/**
 * Bounds a result to `maxChars`. What is cut is said at the end: how much, and that the
 * request should be narrowed or paged, so a reader never mistakes a cut for the whole.
 */
export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const note = (omitted: number): string =>
    `\n[truncated by the environment: ${omitted} of ${text.length} characters not shown; narrow the request or page on (offset/limit) to see the rest]`;
  const keep = Math.max(0, maxChars - note(text.length).length);
  return text.slice(0, keep) + note(text.length - keep);
}
