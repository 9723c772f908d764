import { lastOutboxSeq } from '../store/outbox';
import { dropSealedByOtherKeys, lastSealedSeq, saveSealed } from '../store/sealed';
import { inUnsyncedTransaction, type WritableDB } from '../store/db';
import { packOutbox, type PackDeps, type PackedMessage } from './pack';

export interface SealDeps extends PackDeps {
  readonly db: WritableDB;
}

export interface SealSummary {
  readonly messages: number;
  readonly events: number;
  readonly sales: number;
}

/**
 * Packs the pending outbox beyond what is already sealed into queue messages
 * and keeps them (`outbox_sealed`), so that when the network comes back the
 * push has nothing left to do but send: a shop's line may be back for a minute,
 * and a long day's sales then go out as fast as the queue takes them, with
 * no burst of compression on the till while customers wait. Run while the
 * till cannot reach head office; the timer does it after each run that found
 * no answer.
 *
 * Every message but the last is kept: the last holds the outbox's tail,
 * which the next sales would have filled, and a push packs it with them. A
 * message is kept in a commit of its own that does not wait for the disk:
 * one lost to a power cut or a kill is packed again by the push. Messages
 * signed with a key the till no longer has are dropped and packed again
 * (those head office confirmed went when it did, in applyAcknowledgement).
 * One message is compressed at a time, since the cashier shares the cores.
 */
export async function sealOutbox(deps: SealDeps): Promise<SealSummary> {
  const { db } = deps;
  const total = { messages: 0, events: 0, sales: 0 };
  inUnsyncedTransaction(db, () => dropSealedByOtherKeys(db, deps.signer.keyId));
  let held: PackedMessage | undefined;
  const keep = (m: PackedMessage) => {
    inUnsyncedTransaction(db, () => saveSealed(db, { ...m, keyId: deps.signer.keyId }, deps.now()));
    total.messages += 1;
    total.events += m.events;
    total.sales += m.sales;
  };
  // The packer reads only pending events, and none at or below ✔✔ whatever `afterSeq` says.
  for await (const m of packOutbox(deps, lastOutboxSeq(db), { afterSeq: lastSealedSeq(db) })) {
    if (held) keep(held);
    held = m;
  }
  return total;
}
