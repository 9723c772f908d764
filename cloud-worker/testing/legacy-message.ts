import { gzipSync } from 'node:zlib';
import type { SalesBatch } from '../../shared/wire/batch';
import { LEGACY_QUEUE_MESSAGE_VERSION, type QueueSigner } from '../../shared/wire/queue-message';

/**
 * A queue message as tills wrote it before version 2 (base64 text of the
 * envelope's JSON, gzip body), for proving that the worker still reads the
 * ones that wait in a queue. Tills no longer make these.
 */
export async function encodeLegacyQueueMessage(batch: SalesBatch, signer: QueueSigner): Promise<string> {
  const body = gzipSync(JSON.stringify(batch), { level: 3 });
  const envelope = {
    v: LEGACY_QUEUE_MESSAGE_VERSION,
    branch: batch.branch,
    till: batch.till,
    keyId: signer.keyId,
    sig: Buffer.from(await signer.sign(body)).toString('base64'),
    body: body.toString('base64'),
  };
  return Buffer.from(JSON.stringify(envelope)).toString('base64');
}
