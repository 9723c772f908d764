import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { copyBinary } from './copy-binary';

describe.skipIf(!process.env.DATABASE_URL)('binary COPY', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    await t.db.exec('CREATE TABLE copied (u uuid, s text, i integer, b bigint, j jsonb)');
  });
  afterAll(() => t.dispose());

  it('carries every type the ingest writes, NULLs and edge values included', async () => {
    const rows = [
      [
        '0190a000-0000-7000-8000-00000000000a',
        'চাল ১ কেজি\ttab\nline\\',
        -2147483648,
        -9007199254740991,
        '{"a":[1,"২"]}',
      ],
      ['ffffffff-ffff-7fff-bfff-ffffffffffff', '', 2147483647, 9007199254740991, '{}'],
      [null, null, null, null, null],
      ['00000000-0000-0000-0000-000000000000', 'NULL', 0, 4294967296, '"x"'],
      // The same id again, as a sale's lines repeat it: written from the row before.
      ['00000000-0000-0000-0000-000000000000', 'ascii then বাংলা', 1, -4294967297, '[]'],
    ];
    const columns = [0, 1, 2, 3, 4].map((c) => rows.map((r) => r[c]));
    await t.db.transaction(async (tx) => {
      await tx.copyFrom!(
        'copied',
        ['u', 's', 'i', 'b', 'j'],
        copyBinary(['uuid', 'text', 'int', 'bigint', 'jsonb'], columns, rows.length),
      );
    });
    const back = await t.db.query<{ u: string; s: string; i: number; b: number; j: unknown }>(
      'SELECT u, s, i, b, j FROM copied',
    );
    expect(back.map((r) => [r.u, r.s, r.i, r.b, r.j === null ? null : JSON.stringify(r.j)])).toEqual(
      rows.map((r) => [r[0], r[1], r[2], r[3], r[4] === null ? null : JSON.stringify(JSON.parse(String(r[4])))]),
    );
  });
});

it('refuses what the column cannot hold as bad data, with the SQLSTATE the server would give', () => {
  expect(() => copyBinary(['int'], [[2 ** 31]], 1)).toThrow(expect.objectContaining({ code: '22003' }));
  expect(() => copyBinary(['bigint'], [[2 ** 53]], 1)).toThrow(expect.objectContaining({ code: '22003' }));
  expect(() => copyBinary(['uuid'], [['0190a000-0000-7000-8000-00000000000g']], 1)).toThrow(
    expect.objectContaining({ code: '22P02' }),
  );
});
