import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateTillKey, nodeQueuePrimitives } from '../../cloud-worker/queue/node-primitives';
import { saleEvent, tillSource } from '../../cloud-worker/testing/batches';
import { decodeQueueMessage, MAX_QUEUE_MESSAGE_BYTES } from '../../shared/wire/queue-message';
import { badMessage, drawMessages, drawRequests, MESSAGE_KINDS, REQUEST_KINDS, type Material } from './bad-input';

/**
 * The chaos run counts a bad message the worker takes in as accepted by
 * mistake, so each generated message must really be bad: the shared decoder,
 * which the worker runs, must refuse every one with a reason, except a
 * replay (genuine, so it must decode) and an oversized one (the queue
 * refuses it before any worker sees it).
 */
const key = generateTillKey();
const src = tillSource('CH01', 1);
const material: Material = {
  branch: 'CH01',
  till: 1,
  keyId: key.keyId,
  signingKey: key.privateKey,
  events: Array.from({ length: 8 }, () => saleEvent(src)),
  otherBranch: 'CH02',
  otherTill: 1,
};
const findKey = async (s: { branch: string; till: number; keyId: string }) =>
  s.branch === material.branch && s.till === material.till && s.keyId === material.keyId ? key.publicKey : undefined;

describe('the chaos run’s bad messages', () => {
  for (const kind of MESSAGE_KINDS) {
    it(`${kind}: ${kind === 'replayed' ? 'decodes, being genuine' : 'is refused with a reason'}`, async () => {
      await fc.assert(
        fc.asyncProperty(badMessage(kind, material), async (m) => {
          if (kind === 'oversized') {
            expect(m.text.length).toBeGreaterThan(64 * 1024);
            return;
          }
          expect(m.text.length).toBeLessThanOrEqual(MAX_QUEUE_MESSAGE_BYTES);
          const r = await decodeQueueMessage(m.text, findKey, nodeQueuePrimitives);
          if (kind === 'replayed') {
            expect(r.ok).toBe(true);
            return;
          }
          expect(r.ok, `${kind} was accepted: ${m.text.slice(0, 120)}`).toBe(false);
          if (!r.ok) expect(r.error.reason.length).toBeGreaterThan(0);
          // A bomb is signed and well formed: only the inflate cap stops it.
          if (!r.ok && kind.endsWith('-bomb')) expect(r.error.code).toBe('malformed-body');
        }),
        { numRuns: kind === 'gzip-bomb' || kind === 'brotli-bomb' ? 3 : 40 },
      );
    });
  }

  it('draws every kind of message and request', () => {
    const messages = drawMessages(MESSAGE_KINDS.length * 2, [material], 7);
    expect(new Set(messages.map((m) => m.kind))).toEqual(new Set(MESSAGE_KINDS));
    const requests = drawRequests(
      REQUEST_KINDS.length * 2,
      [{ branch: 'CH01', pullToken: 'a'.repeat(43), adminToken: 'b'.repeat(43), otherBranch: 'CH02' }],
      7,
    );
    expect(new Set(requests.map((r) => r.kind))).toEqual(new Set(REQUEST_KINDS));
  });
});
