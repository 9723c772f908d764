import { isUtf8 } from 'node:buffer';

const EVENTS_OPEN = Buffer.from('"events":[');
const EVENTS_CLOSE = Buffer.from(']}');
const BETWEEN_EVENTS = Buffer.from(',{"seq":');

/**
 * Reads a `sales-batch`'s UTF-8 JSON: the same value as
 * `JSON.parse(utf8Decode(bytes))`, and a throw wherever that throws, but
 * each event parsed from a string of its own. A message's batch is half a
 * megabyte of JSON; as one string V8 puts it in its large-object space,
 * fresh pages every time, and making that string cost the worker more than
 * parsing it did. Strings of one event are a few kilobytes and die young.
 *
 * It cuts where a till writes the batch (`main/sync/pack.ts`): the header,
 * then `"events":[`, the events joined by commas, each starting `{"seq":`,
 * and `]}` at the very end. Whatever the bytes are, the result is JSON.parse's:
 * - the header is parsed with the array emptied (`…"events":[` + `]}`). If
 *   that parses, its last `[` opens an array that is the last member of the
 *   top-level object, under the key "events", and no member comes after it;
 * - each cut between events is parsed on its own. Values that each parse,
 *   joined by commas, are exactly an array's contents, whatever they hold;
 *   a cut inside an event leaves a piece that does not parse;
 * so when every part parses, the whole text does too, to the same value.
 * Anything that does not parse in parts, or is laid out otherwise, is read
 * whole, and throws or not as JSON.parse does.
 */
export function parseBatchJson(bytes: Uint8Array): unknown {
  if (!isUtf8(bytes)) throw new TypeError('the bytes are not UTF-8');
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return inParts(buffer) ?? JSON.parse(buffer.toString('utf8'));
}

/** The batch read in parts, or undefined where only reading it whole can tell; exported for its tests. */
export function inParts(buffer: Buffer): { events: unknown[] } | undefined {
  const at = buffer.indexOf(EVENTS_OPEN);
  const end = buffer.length - EVENTS_CLOSE.length;
  if (at < 0 || end < at + EVENTS_OPEN.length || !buffer.subarray(end).equals(EVENTS_CLOSE)) return undefined;
  const start = at + EVENTS_OPEN.length;
  try {
    const header = JSON.parse(buffer.toString('utf8', 0, start) + ']}') as { events: unknown[] };
    const events: unknown[] = [];
    for (let from = start; from < end;) {
      const cut = buffer.indexOf(BETWEEN_EVENTS, from);
      const to = cut < 0 || cut > end ? end : cut;
      events.push(JSON.parse(buffer.toString('utf8', from, to)));
      from = to === end ? end : to + 1;
    }
    header.events = events;
    return header;
  } catch {
    return undefined;
  }
}
