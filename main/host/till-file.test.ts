import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { listStaff } from '../store/staff';
import { openTillFile } from './till-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'haat-till-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('refuses a new database that is neither provisioned nor asked to be the demo', () => {
  expect(() => openTillFile(join(dir, 'a', 'till.sqlite'), { log: () => undefined })).toThrow(
    /is not a till database yet.*--branch CODE --till N.*--demo/,
  );
});

it('makes a new database the demo shop only when asked, and reopens it as it is', () => {
  const path = join(dir, 'till.sqlite');
  const lines: string[] = [];
  const demo = openTillFile(path, { demo: true, log: (l) => lines.push(l) });
  expect(demo.id).toEqual({ branch: 'DHK01', till: 1 });
  expect(
    listStaff(demo.store.read)
      .map((s) => s.role)
      .sort(),
  ).toEqual(['cashier', 'manager']);
  demo.store.close();
  const again = openTillFile(path, { log: (l) => lines.push(l) });
  expect(again.id).toEqual({ branch: 'DHK01', till: 1 });
  again.store.close();
  expect(lines).toEqual(['New till database: seeded the demo shop (cashier PIN 1234, manager PIN 9876).']);
});

it('provisions a new database as the till named, with nobody able to sign in until head office data comes', () => {
  const lines: string[] = [];
  const till = openTillFile(join(dir, 'ctg.sqlite'), {
    branch: 'CTG02',
    till: 3,
    demo: true,
    log: (l) => lines.push(l),
  });
  expect(till.id).toEqual({ branch: 'CTG02', till: 3 });
  expect(listStaff(till.store.read)).toEqual([]);
  till.store.close();
  expect(lines).toEqual(['This till has no staff yet: nobody can sign in until head office data is pulled.']);
});
