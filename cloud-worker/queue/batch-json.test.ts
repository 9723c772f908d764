import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchOf, saleBatches, saleEvent, tillSource } from '../testing/batches';
import { inParts, parseBatchJson } from './batch-json';

/** What parseBatchJson must equal: the whole text parsed at once, or the same refusal. */
function whole(bytes: Uint8Array): { value: unknown } | { threw: true } {
  try {
    return { value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { threw: true };
  }
}

function split(bytes: Uint8Array): { value: unknown } | { threw: true } {
  try {
    return { value: parseBatchJson(bytes) };
  } catch {
    return { threw: true };
  }
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

const batchJson = JSON.stringify(saleBatches(tillSource('DHK01', 2), 6, 6)[0]);

describe('parseBatchJson', () => {
  it('reads a batch as JSON.parse does, key order included', () => {
    const src = tillSource('DHK01', 2);
    const batch = batchOf(src, [saleEvent(src, 3), saleEvent(src, 1)]);
    const text = JSON.stringify({ ...batch, events: batch.events.map((e) => ({ ...e, note: 'পণ্য, "[x]" \\ {y}' })) });
    const parsed = parseBatchJson(utf8(text));
    expect(parsed).toEqual(JSON.parse(text));
    expect(Object.keys(parsed as object)).toEqual(Object.keys(JSON.parse(text)));
    expect(JSON.stringify(parsed)).toBe(text);
    // Read in parts, not whole.
    expect(inParts(Buffer.from(text))).toEqual(JSON.parse(text));
  });

  it('agrees with JSON.parse on layouts that are not the usual batch', () => {
    const cases = [
      '{"events":[]}',
      '{"events":[ ]}',
      ' \n{ "a" : 1 , "events" : [ {"x":[1,{"y":"]"}]} , 2 , "s" ] , "b":[3] } \t',
      '{"events":[1,]}',
      '{"events":[,1]}',
      '{"events":[1 2]}',
      '{"events":[1,,2]}',
      '{"events":[1}',
      '{"events":{"a":1}}',
      '{"events":"[1,2]"}',
      '{"events":null}',
      '{"events":[1],"events":[2]}',
      '{"events":"x","events":[2]}',
      '{"events":[1],"other":{"events":[5]}}',
      '{"ev\\u0065nts":[1],"events":[2]}',
      '{"events":[2],"ev\\u0065nts":[1]}',
      '{"a":"\\"events\\":[9]","events":[1]}',
      '{"events":[1]} x',
      '{"events":[1]}{"events":[2]}',
      '[{"events":[1]}]',
      '{"events":[1]}}',
      '{"events":[1]',
      '{"events":["\\\\",  "\\"" ]}',
      '{}',
      '',
      '"events"',
      '{"__proto__":{"x":1},"events":[1]}',
    ];
    for (const text of cases) expect(split(utf8(text)), text).toEqual(whole(utf8(text)));
  });

  it('refuses bytes that are not UTF-8, as the decoder does', () => {
    const bytes = utf8('{"events":[{"n":"ab"}]}');
    bytes[15] = 0xff;
    expect(split(bytes)).toEqual({ threw: true });
    expect(whole(bytes)).toEqual({ threw: true });
  });

  it('agrees with JSON.parse on any JSON value and on batches changed byte by byte', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const bytes = utf8(JSON.stringify({ type: 'x', events: Array.isArray(value) ? value : [value] }));
        expect(split(bytes)).toEqual(whole(bytes));
        const any = utf8(JSON.stringify(value) ?? 'null');
        expect(split(any)).toEqual(whole(any));
      }),
      { numRuns: 2000 },
    );
    // Events as a till writes them, `seq` first, around any JSON: the cuts between them are found and read.
    fc.assert(
      fc.property(fc.array(fc.record({ seq: fc.integer(), x: fc.jsonValue() })), (events) => {
        const bytes = utf8(JSON.stringify({ type: 'x', events }));
        expect(split(bytes)).toEqual(whole(bytes));
        const parts = inParts(Buffer.from(bytes));
        if (parts !== undefined) expect(parts).toEqual(JSON.parse(Buffer.from(bytes).toString()));
      }),
      { numRuns: 2000 },
    );
    const bytes = utf8(batchJson);
    expect(inParts(Buffer.from(bytes))).toBeDefined();
    const structural = [...'{}[],:" \\abe0'].map((c) => c.charCodeAt(0));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.nat({ max: bytes.length - 1 }),
            byte: fc.oneof(fc.constantFrom(...structural), fc.integer({ min: 0, max: 255 })),
            how: fc.constantFrom('set', 'insert', 'delete'),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        (edits) => {
          let changed = [...bytes];
          for (const e of edits) {
            if (e.how === 'set') changed[e.at % changed.length] = e.byte;
            else if (e.how === 'insert') changed.splice(e.at % (changed.length + 1), 0, e.byte);
            else changed = changed.filter((_, i) => i !== e.at % changed.length);
          }
          const mutated = new Uint8Array(changed);
          expect(split(mutated)).toEqual(whole(mutated));
          // In parts, what there is of it is JSON.parse's reading (UTF-8 is checked before).
          const parts = inParts(Buffer.from(mutated));
          if (parts !== undefined) expect(parts).toEqual(JSON.parse(Buffer.from(mutated).toString()));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
