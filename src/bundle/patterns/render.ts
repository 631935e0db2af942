// Joins template tokens back into readable text. The tokenizer dropped the original
// spacing, so spacing follows the punctuation: no space before a closer or a separator,
// none after an opener, none around `=`.
const NO_SPACE_BEFORE = new Set([',', ';', ':', '.', ')', ']', '}', '>', '=', '!', '?', '::', '|', '||']);
const NO_SPACE_AFTER = new Set(['(', '[', '{', '<', '=', '::', '|', '||']);

export function renderTemplate(tokens: readonly string[]): string {
  let text = '';
  let previous = '';
  for (const token of tokens) {
    if (text && !NO_SPACE_BEFORE.has(token) && !NO_SPACE_AFTER.has(previous)) text += ' ';
    text += token;
    previous = token;
  }
  return text;
}
