import { DefaultAzureCredential } from '@azure/identity';
import type { QueueServiceClient } from '@azure/storage-queue';
import { StorageSharedKeyCredential } from '@azure/storage-queue';
import { describe, expect, it } from 'vitest';
import { loadConfig, storageConfig } from '../config';
import { BranchSas, PolicyRotationUnavailable } from './branch-sas';
import { queueService } from './queue-service';

/** The credential a client signs its calls with (the SDK keeps it to itself). */
const credentialOf = (client: QueueServiceClient) => (client as unknown as { credential: unknown }).credential;

// Azure itself cannot be reached from here: these check which credential is
// chosen and how SAS will be signed, up to the first call.
describe('the queue service as configured', () => {
  it('signs with the account key of a connection string, and of local Azurite by default', async () => {
    const azurite = await queueService(storageConfig(loadConfig({})));
    expect(azurite.sasSigning).toBe('account-key');
    expect(credentialOf(azurite.client)).toBeInstanceOf(StorageSharedKeyCredential);
    expect(azurite.client.url).toContain('127.0.0.1:10001');
  });

  it('signs in with DefaultAzureCredential when given only the account URL', async () => {
    const url = 'https://haatchain.queue.core.windows.net';
    const service = await queueService(storageConfig(loadConfig({ AZURE_STORAGE_ACCOUNT_URL: url })));
    expect(service.sasSigning).toBe('user-delegation');
    expect(credentialOf(service.client)).toBeInstanceOf(DefaultAzureCredential);
    expect(service.client.url).toBe(url);
    expect(service.client.getQueueClient('sales').url).toBe(`${url}/sales`);
  });

  it('has no shared policy to replace without the account key, and says what to do instead', async () => {
    const service = await queueService({ kind: 'identity', accountUrl: 'https://haatchain.queue.core.windows.net' });
    const queue = service.client.getQueueClient('sales');
    expect(() => new BranchSas(queue, { signing: 'user-delegation' })).toThrow(/queue service/);
    const sas = new BranchSas(queue, { signing: service.sasSigning, service: service.client });
    await expect(sas.rotateBranchPolicy()).rejects.toThrow(PolicyRotationUnavailable);
    await expect(sas.rotateBranchPolicy()).rejects.toThrow(/user delegation keys/);
  });
});
