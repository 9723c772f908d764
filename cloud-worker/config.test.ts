import { expect, it } from 'vitest';
import { databaseConfig, loadConfig } from './config';

it('defaults to PGlite and a local Azurite, and names a bad setting', () => {
  const config = loadConfig({});
  expect(databaseConfig(config)).toEqual({ databaseUrl: undefined, pgliteDir: '.data/central' });
  expect(config.AZURE_STORAGE_CONNECTION_STRING).toContain('127.0.0.1:10001');
  expect(config.HAAT_QUEUE).toBe('sales');
  expect(() => loadConfig({ HAAT_QUEUE: 'Sales_Queue' })).toThrow(/HAAT_QUEUE/);
  expect(() => loadConfig({ HAAT_VISIBILITY_TIMEOUT: '0' })).toThrow(/HAAT_VISIBILITY_TIMEOUT/);
  expect(loadConfig({ DATABASE_URL: 'postgres://db/haat' }).DATABASE_URL).toBe('postgres://db/haat');
});
