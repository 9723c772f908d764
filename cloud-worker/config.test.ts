import { expect, it } from 'vitest';
import { databaseConfig, loadConfig, storageConfig } from './config';

it('defaults to PGlite and a local Azurite, and names a bad setting', () => {
  const config = loadConfig({});
  expect(databaseConfig(config)).toEqual({ databaseUrl: undefined, pgliteDir: '.data/central' });
  expect(storageConfig(config)).toMatchObject({ kind: 'connection-string', connectionString: /127\.0\.0\.1:10001/ });
  expect(config.HAAT_QUEUE).toBe('sales');
  expect(() => loadConfig({ HAAT_QUEUE: 'Sales_Queue' })).toThrow(/HAAT_QUEUE/);
  expect(() => loadConfig({ HAAT_VISIBILITY_TIMEOUT: '0' })).toThrow(/HAAT_VISIBILITY_TIMEOUT/);
  expect(loadConfig({ DATABASE_URL: 'postgres://db/haat' }).DATABASE_URL).toBe('postgres://db/haat');
});

it('reaches the storage account with a managed identity when given its URL and no connection string', () => {
  const url = 'https://haatchain.queue.core.windows.net';
  expect(storageConfig(loadConfig({ AZURE_STORAGE_ACCOUNT_URL: url }))).toEqual({ kind: 'identity', accountUrl: url });
  const key = 'DefaultEndpointsProtocol=https;AccountName=haatchain;AccountKey=a2V5;EndpointSuffix=core.windows.net';
  expect(storageConfig(loadConfig({ AZURE_STORAGE_CONNECTION_STRING: key }))).toEqual({
    kind: 'connection-string',
    connectionString: key,
  });
  expect(() => loadConfig({ AZURE_STORAGE_ACCOUNT_URL: url, AZURE_STORAGE_CONNECTION_STRING: key })).toThrow(
    /AZURE_STORAGE_ACCOUNT_URL: set either/,
  );
  // A token travels only over TLS, and a SAS in the URL would stand in for the identity.
  expect(() => loadConfig({ AZURE_STORAGE_ACCOUNT_URL: 'http://haatchain.queue.core.windows.net' })).toThrow(
    /AZURE_STORAGE_ACCOUNT_URL: must be the https URL/,
  );
  expect(() => loadConfig({ AZURE_STORAGE_ACCOUNT_URL: `${url}/?sv=2025-07-05&sig=x` })).toThrow(
    /AZURE_STORAGE_ACCOUNT_URL: must not carry a query string/,
  );
});
