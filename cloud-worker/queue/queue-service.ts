import type { TokenCredential } from '@azure/identity';
import { QueueServiceClient } from '@azure/storage-queue';
import type { StorageConfig } from '../config';
import type { SasSigning } from './branch-sas';

export interface ConfiguredQueueService {
  readonly client: QueueServiceClient;
  /** How branch SAS can be signed with this sign-in. */
  readonly sasSigning: SasSigning;
}

/**
 * The queue service as configured: a connection string (Azurite, or an
 * account key), or the account URL with a Microsoft Entra token, which in
 * Azure is the managed identity of the machine the process runs on. The
 * credential asks Entra for nothing until the first call, and its library is
 * loaded only when it is configured (it weighs some tens of MiB).
 */
export async function queueService(
  storage: StorageConfig,
  credential: () => Promise<TokenCredential> = defaultCredential,
): Promise<ConfiguredQueueService> {
  if (storage.kind === 'identity') {
    return { client: new QueueServiceClient(storage.accountUrl, await credential()), sasSigning: 'user-delegation' };
  }
  return { client: QueueServiceClient.fromConnectionString(storage.connectionString), sasSigning: 'account-key' };
}

async function defaultCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}
