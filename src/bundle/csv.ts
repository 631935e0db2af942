// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. The delimiter is a
// comma unless the header row has none and uses tabs or semicolons instead.

export interface CsvRow {
  cells: string[];
  /** 1-based line where the row starts */
  line: number;
}

function delimiterOf(text: string): string {
  const end = text.indexOf('\n');
  const header = end < 0 ? text : text.slice(0, end);
  if (header.includes(',')) return ',';
  if (header.includes('\t')) return '\t';
  if (header.includes(';')) return ';';
  return ',';
}

export function* parseCsv(text: string): Generator<CsvRow> {
  const delimiterCode = delimiterOf(text).charCodeAt(0);
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let endOfRow = false;
    while (!endOfRow) {
      if (text.charCodeAt(i) === 34 /* " */) {
        i += 1;
        for (;;) {
          const quote = text.indexOf('"', i);
          const end = quote < 0 ? n : quote;
          const piece = text.slice(i, end);
          for (let k = piece.indexOf('\n'); k >= 0; k = piece.indexOf('\n', k + 1)) line += 1;
          cell += piece;
          i = end + 1;
          if (quote < 0) break;
          if (text.charCodeAt(i) === 34) {
            cell += '"';
            i += 1;
            continue;
          }
          break;
        }
      }
      // Unquoted text (or whatever follows a closing quote) up to the delimiter or the end of the row.
      const from = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === delimiterCode || c === 10) break;
        i += 1;
      }
      const piece = text.slice(from, i);
      cells.push(cell + (piece.endsWith('\r') ? piece.slice(0, -1) : piece));
      cell = '';
      if (i >= n || text.charCodeAt(i) === 10) {
        endOfRow = true;
        if (i < n) line += 1;
      }
      i += 1;
    }
    if (cells.length === 1 && cells[0] === '') continue; // blank line
    yield { cells, line: start };
  }
}
