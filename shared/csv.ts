/**
 * Reads CSV as spreadsheets write it (RFC 4180): fields separated by commas,
 * quoted with double quotes when they hold a comma, a quote or a line break,
 * lines ended by CRLF or LF. A byte-order mark at the start is ignored.
 * Returns the rows with the 1-based line each starts on, for error messages.
 */
export interface CsvRow {
  readonly line: number;
  readonly cells: string[];
}

export type CsvParse = { ok: true; rows: CsvRow[] } | { ok: false; line: number; reason: string };

export function parseCsv(text: string): CsvParse {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let i = 0;
  const endRow = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  while (i < input.length) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        const next = input[i];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
          return { ok: false, line, reason: 'a closing quote must end its field' };
        }
        continue;
      }
      if (ch === '\n') line += 1;
      cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && cell === '') {
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      i += ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
      line += 1;
      rowLine = line;
    } else {
      cell += ch;
      i += 1;
    }
  }
  if (quoted) return { ok: false, line: rowLine, reason: 'a quoted field is not closed' };
  if (cell !== '' || cells.length > 0) endRow();
  return { ok: true, rows };
}
