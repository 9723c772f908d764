import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { pino } from 'pino';
import { DEFAULT_BRANCH_SETTINGS } from '../../shared/settings';
import type { SalesBatch } from '../../shared/wire/batch';
import { encodeQueueMessage, type QueueSigner } from '../../shared/wire/queue-message';
import type { Database, DatabaseKind } from '../db/database';
import { startAzurite, type Azurite } from '../queue/azurite';
import { QueueConsumer } from '../queue/consume';
import { generateTillKey, nodeQueuePrimitives, nodeSigner } from '../queue/node-primitives';
import { insertBranch, masterDataChange } from '../repositories/master-data-repository';
import { insertTill } from '../repositories/till-repository';
import { createTestDatabase, type TestDatabase } from './test-database';

/** A real Azurite and a fresh central database, for one test file. */
export interface CloudFixture {
  readonly azurite: Azurite;
  readonly t: TestDatabase;
  readonly service: QueueServiceClient;
  /** A queue of its own for each test. */
  newQueue(): Promise<{ queue: QueueClient; poison: QueueClient; consumer: QueueConsumer }>;
  /** Provisions a till, through `db` when the fixture's own handle was handed to another process. */
  addTill(branch: string, till: number, db?: Database): Promise<ProvisionedTestTill>;
  dispose(): Promise<void>;
}

export interface ProvisionedTestTill {
  readonly branch: string;
  readonly till: number;
  readonly signer: QueueSigner;
  readonly privateKey: string;
  readonly token: string;
}

export const silentLog = pino({ level: 'silent' });

export async function startCloudFixture(kind: DatabaseKind, opts: { folder?: boolean } = {}): Promise<CloudFixture> {
  const azuriteDir = mkdtempSync(join(tmpdir(), 'haat-azurite-'));
  const azurite = await startAzurite(azuriteDir);
  const t = await createTestDatabase(kind, opts);
  const service = QueueServiceClient.fromConnectionString(azurite.connectionString);
  const branches = new Set<string>();
  return {
    azurite,
    t,
    service,
    async newQueue() {
      const name = `sales-${randomBytes(4).toString('hex')}`;
      const queue = service.getQueueClient(name);
      const poison = service.getQueueClient(`${name}-poison`);
      const consumer = new QueueConsumer({ db: t.db, queue, poison, log: silentLog, visibilityTimeoutSeconds: 30 });
      await consumer.ensureQueues();
      return { queue, poison, consumer };
    },
    async addTill(branch, till, db = t.db) {
      if (!branches.has(branch)) {
        branches.add(branch);
        await masterDataChange(db, (tx, seq) =>
          insertBranch(tx, seq, { code: branch, nameEn: branch, nameBn: '', settings: DEFAULT_BRANCH_SETTINGS }),
        );
      }
      const key = generateTillKey();
      const token = randomBytes(32).toString('base64url');
      await db.transaction((tx) =>
        insertTill(tx, {
          branch,
          till,
          keyId: key.keyId,
          publicKey: key.publicKey,
          tokenHash: createHash('sha256').update(token).digest('hex'),
        }),
      );
      return { branch, till, signer: nodeSigner(key.keyId, key.privateKey), privateKey: key.privateKey, token };
    },
    async dispose() {
      await t.dispose();
      await azurite.stop();
      rmSync(azuriteDir, { recursive: true, force: true });
    },
  };
}

export async function encodeOrThrow(batch: SalesBatch, signer: QueueSigner): Promise<string> {
  const text = await encodeQueueMessage(batch, signer, nodeQueuePrimitives);
  if (!text.ok) throw new Error(`${text.error.code}: ${text.error.reason}`);
  return text.value;
}

export async function sendBatches(queue: QueueClient, signer: QueueSigner, batches: readonly SalesBatch[]) {
  for (const batch of batches) {
    await queue.sendMessage(await encodeOrThrow(batch, signer), { messageTimeToLive: -1 });
  }
}

/** Receives until the queue is empty. */
export async function drain(consumer: QueueConsumer): Promise<{ ingested: number; rejected: number }> {
  let ingested = 0;
  let rejected = 0;
  for (;;) {
    const s = await consumer.receiveOnce();
    if (s.received === 0) return { ingested, rejected };
    ingested += s.ingested;
    rejected += s.rejected;
  }
}
