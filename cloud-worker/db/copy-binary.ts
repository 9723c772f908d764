/**
 * Rows in PostgreSQL's binary COPY format, written straight into a buffer as
 * they are pushed: no column arrays, no string per field, no object per row.
 * For the tens of thousands of rows of one ingest this costs a fraction of
 * the CPU and garbage of the text format, or of collecting the rows first.
 */
export type CopyType = 'uuid' | 'text' | 'int' | 'bigint' | 'jsonb' | 'bool';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;
for (let i = 0; i < 6; i++) NIBBLE['ABCDEF'.charCodeAt(i)] = 10 + i;

const TYPE_CODES: Record<CopyType, number> = { uuid: 0, text: 1, int: 2, bigint: 3, jsonb: 4, bool: 5 };
const TWO_32 = 4294967296;

/**
 * A value the database would refuse, refused here with the SQLSTATE the
 * server would give, so that callers treat it as bad data (poison), not as
 * a failing database (retry).
 */
function refused(sqlState: string, message: string): Error {
  return Object.assign(new Error(message), { code: sqlState });
}

export class CopyRows {
  private buf: Buffer;
  private pos = 0;
  private readonly codes: Uint8Array;
  /** Per column, the last UUID written and where: ids repeat row after row (a sale's lines, a shift). */
  private readonly lastUuid: unknown[];
  private readonly lastUuidAt: Int32Array;
  rows = 0;

  constructor(
    readonly types: readonly CopyType[],
    initialBytes = 64 * 1024,
  ) {
    this.codes = Uint8Array.from(types, (t) => TYPE_CODES[t]);
    this.lastUuid = types.map(() => undefined);
    this.lastUuidAt = new Int32Array(types.length);
    this.buf = Buffer.allocUnsafe(Math.max(initialBytes, 64));
    this.pos = SIGNATURE.copy(this.buf, 0);
    // Flags and header extension length, both zero.
    this.buf.fill(0, this.pos, this.pos + 8);
    this.pos += 8;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private int32(v: number): void {
    const b = this.buf;
    let p = this.pos;
    b[p++] = v >>> 24;
    b[p++] = (v >>> 16) & 255;
    b[p++] = (v >>> 8) & 255;
    b[p++] = v & 255;
    this.pos = p;
  }

  /** One row: a value per column, in the order of `types`. */
  push(...values: unknown[]): void {
    const codes = this.codes;
    this.ensure(2);
    this.buf[this.pos++] = codes.length >>> 8;
    this.buf[this.pos++] = codes.length & 255;
    for (let c = 0; c < codes.length; c++) {
      const value = values[c];
      if (value === null || value === undefined) {
        this.ensure(4);
        this.int32(-1);
        continue;
      }
      switch (codes[c]) {
        case 0:
          if (value === this.lastUuid[c]) this.repeat(this.lastUuidAt[c]!, 20);
          else {
            this.lastUuidAt[c] = this.pos;
            this.uuid(value);
            this.lastUuid[c] = value;
          }
          break;
        case 1:
          this.text(typeof value === 'string' ? value : String(value), -1);
          break;
        case 2:
          this.int(value);
          break;
        case 3:
          this.bigint(value);
          break;
        case 5:
          if (typeof value !== 'boolean') throw refused('22P02', `not a boolean: ${String(value)}`);
          this.ensure(5);
          this.int32(1);
          this.buf[this.pos++] = value ? 1 : 0;
          break;
        default:
          // jsonb's binary form is a version byte, 1, then the JSON text.
          this.text(typeof value === 'string' ? value : String(value), 1);
      }
    }
    this.rows++;
  }

  /** Writes again the `n` bytes written at `at`. */
  private repeat(at: number, n: number): void {
    this.ensure(n);
    const b = this.buf;
    const p = this.pos;
    for (let i = 0; i < n; i++) b[p + i] = b[at + i]!;
    this.pos = p + n;
  }

  private uuid(value: unknown): void {
    const s = typeof value === 'string' ? value : String(value);
    if (s.length !== 36) throw refused('22P02', `not a UUID: ${s}`);
    this.ensure(20);
    this.int32(16);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < 36; i++) {
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        if (s.charCodeAt(i) !== 45) throw refused('22P02', `not a UUID: ${s}`);
        continue;
      }
      const hi = NIBBLE[s.charCodeAt(i)] ?? -1;
      const lo = NIBBLE[s.charCodeAt(++i)] ?? -1;
      if (hi < 0 || lo < 0) throw refused('22P02', `not a UUID: ${s}`);
      b[p++] = (hi << 4) | lo;
    }
    this.pos = p;
  }

  /** ASCII byte by byte (most of what tills send), anything else through the UTF-8 encoder. */
  private text(value: string, prefix: number): void {
    const n = value.length;
    this.ensure(5 + n * 3);
    const b = this.buf;
    const start = this.pos;
    let p = start + 4;
    if (prefix >= 0) b[p++] = prefix;
    const body = p;
    let i = 0;
    for (; i < n; i++) {
      const ch = value.charCodeAt(i);
      if (ch >= 128) break;
      b[p++] = ch;
    }
    if (i < n) p = body + b.write(value, body, 'utf8');
    const length = p - start - 4;
    b[start] = length >>> 24;
    b[start + 1] = (length >>> 16) & 255;
    b[start + 2] = (length >>> 8) & 255;
    b[start + 3] = length & 255;
    this.pos = p;
  }

  private int(value: unknown): void {
    const v = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw refused('22003', `${String(value)} is out of range for an integer column`);
    }
    this.ensure(8);
    this.int32(4);
    this.int32(v);
  }

  private bigint(value: unknown): void {
    const v = typeof value === 'number' ? value : Number(value);
    if (!Number.isSafeInteger(v)) throw refused('22003', `not a safe integer: ${String(value)}`);
    const high = Math.floor(v / TWO_32);
    this.ensure(12);
    this.int32(8);
    this.int32(high);
    this.int32(v - high * TWO_32);
  }

  /** The rows pushed so far without header or trailer, in a buffer of their own: see `copyStream`. */
  tuples(): Buffer {
    return Buffer.from(this.buf.subarray(SIGNATURE.length + 8, this.pos));
  }

  /** The whole COPY stream: header, the rows pushed so far, trailer. */
  finish(): Buffer {
    this.ensure(2);
    const b = this.buf;
    b[this.pos] = 255;
    b[this.pos + 1] = 255;
    return b.subarray(0, this.pos + 2);
  }
}

const HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]);
const TRAILER = Buffer.from([255, 255]);

/** One COPY stream, in parts, of the rows of several `CopyRows.tuples()` in order. */
export function copyStream(tuples: readonly Uint8Array[]): Uint8Array[] {
  return [HEADER, ...tuples.filter((t) => t.length > 0), TRAILER];
}

/** The COPY stream of rows given column by column. */
export function copyBinary(types: readonly CopyType[], columns: readonly (readonly unknown[])[], rows: number): Buffer {
  const out = new CopyRows(types);
  for (let r = 0; r < rows; r++) out.push(...columns.map((c) => c[r]));
  return out.finish();
}
