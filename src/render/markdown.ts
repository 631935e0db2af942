// Light markdown for agent messages: headings, bullet and numbered lists, fenced code,
// **bold** and `code`. Line breaks are kept (agents write one finding per line); the
// TUI and the human renderer style the same parsed blocks their own way.

export interface Inline {
  text: string;
  style: 'plain' | 'bold' | 'code';
}

export type Block =
  | { kind: 'paragraph'; lines: Inline[][] }
  | { kind: 'heading'; inlines: Inline[] }
  | { kind: 'list'; items: Array<{ marker: string; inlines: Inline[] }> }
  | { kind: 'code'; lines: string[] };

const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s+(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

/** Split inline `code` and **bold** spans; unmatched markers stay literal. */
export function parseInline(text: string): Inline[] {
  const spans: Inline[] = [];
  let plain = '';
  let index = 0;
  const flush = (): void => {
    if (plain) spans.push({ text: plain, style: 'plain' });
    plain = '';
  };
  while (index < text.length) {
    if (text[index] === '`') {
      const end = text.indexOf('`', index + 1);
      if (end > index + 1) {
        flush();
        spans.push({ text: text.slice(index + 1, end), style: 'code' });
        index = end + 1;
        continue;
      }
    }
    const marker = text.slice(index, index + 2);
    if (marker === '**' || marker === '__') {
      const end = text.indexOf(marker, index + 2);
      if (end > index + 2) {
        flush();
        spans.push({ text: text.slice(index + 2, end), style: 'bold' });
        index = end + 2;
        continue;
      }
    }
    plain += text[index];
    index += 1;
  }
  flush();
  return spans;
}

export function parseMarkdown(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    if (line.trim() === '') {
      index += 1;
      continue;
    }
    if (FENCE.test(line)) {
      const code: string[] = [];
      index += 1;
      while (index < lines.length && !FENCE.test(lines[index] ?? '')) {
        code.push(lines[index] ?? '');
        index += 1;
      }
      index += 1;
      blocks.push({ kind: 'code', lines: code });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', inlines: parseInline(heading[1] ?? '') });
      index += 1;
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const items: Array<{ marker: string; inlines: Inline[] }> = [];
      while (index < lines.length) {
        const current = lines[index] ?? '';
        const item = LIST_ITEM.exec(current);
        if (item) {
          const marker = /\d/.test(item[1] ?? '') ? (item[1] ?? '') : '•';
          items.push({ marker, inlines: parseInline(item[2] ?? '') });
        } else if (current.trim() !== '' && /^\s+/.test(current) && items.length > 0) {
          // An indented line continues the item above it.
          const last = items[items.length - 1];
          if (last) last.inlines = [...last.inlines, { text: ' ', style: 'plain' }, ...parseInline(current.trim())];
        } else {
          break;
        }
        index += 1;
      }
      blocks.push({ kind: 'list', items });
      continue;
    }
    const paragraph: Inline[][] = [];
    while (index < lines.length) {
      const current = lines[index] ?? '';
      if (current.trim() === '' || FENCE.test(current) || HEADING.test(current) || LIST_ITEM.test(current)) break;
      paragraph.push(parseInline(current.trim()));
      index += 1;
    }
    blocks.push({ kind: 'paragraph', lines: paragraph });
  }
  return blocks;
}
