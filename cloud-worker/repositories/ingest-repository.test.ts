import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../testing/test-database';
import { saleBatches, tillSource } from '../testing/batches';
import { arrayLiteral, factRows, gateRows } from './ingest-repository';

describe.each(databaseKinds())('array literals on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(() => t.dispose());

  it('carry any text, NULL and numbers unchanged', async () => {
    const texts = [
      'plain',
      '',
      'a,b',
      '{braces}',
      'say "hi"',
      'back\\slash',
      'NULL',
      null,
      'চাল ১ কেজি',
      ' padded ',
      'tab\there',
    ];
    // Control characters take the slow path; check both paths.
    const controls = [...texts, 'new\nline', 'bell\u0007'];
    const rows = await t.db.query<{ v: string | null }>('SELECT unnest($1::text[]) AS v', [
      arrayLiteral(texts, 'text'),
    ]);
    expect(rows.map((r) => r.v)).toEqual(texts);
    const slow = await t.db.query<{ v: string | null }>('SELECT unnest($1::text[]) AS v', [
      arrayLiteral(controls, 'text'),
    ]);
    expect(slow.map((r) => r.v)).toEqual(controls);
    const numbers = [0, -5, 9007199254740991, null];
    const nums = await t.db.query<{ v: number | null }>('SELECT unnest($1::bigint[]) AS v', [
      arrayLiteral(numbers, 'bigint'),
    ]);
    expect(nums.map((r) => r.v)).toEqual(numbers);
  });
});

it('collects the facts of an event once when two messages carry it', () => {
  const [batch] = saleBatches(tillSource('DHK01', 1), 5, 5);
  const twice = [
    { messageId: 'a', batch: batch! },
    { messageId: 'b', batch: batch! },
  ];
  expect(gateRows(twice).events.size).toBe(10);
  for (const copy of [false, true]) {
    const rows = factRows(twice, new Set(batch!.events.map((e) => e.id)), copy);
    expect(rows.tables.sales.size).toBe(5);
    expect(rows.tables.lines.size).toBe(15);
    expect(rows.touchedSales).toHaveLength(5);
  }
});
