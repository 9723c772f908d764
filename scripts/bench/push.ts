/**
 * push: how fast a till that was offline for a long while gets its sales
 * into the queue. 10,000 sales (baskets of 1–8 lines from a few dozen
 * everyday products, some paid in two tenders) are rung up through the real
 * use cases in a till provisioned by head office, on the whole chain: a real
 * Azurite, the central database (PostgreSQL when DATABASE_URL is set, else
 * PGlite) and the branch API on a real port. While offline, the till's
 * failed sync runs packed all but the last message's worth into signed
 * messages (`sealOutbox`, timed once here). Measured: `pushOutbox`, from the
 * first pending event to the last one marked ✔: reading the sealed messages,
 * packing the rest (Brotli, Ed25519, at most 60,000 bytes a message),
 * sending with the add-only SAS the pull handed out, and marking each range
 * queued. Measured too, direct only, and printed but not checked: the same
 * push with nothing sealed, which packs every message itself.
 * Beside it, in the same run and alternating with it, the floor for the same
 * traffic: the very message texts the packer made, sent ready-made with the
 * raw SDK (`QueueClient.sendMessage`, time-to-live -1) at the same
 * concurrency. Each side runs three times, after a round of both that is
 * not counted, each time to a fresh queue (the till's outbox put back to
 * pending between its runs); the medians are compared. The CPU this process
 * and Azurite's spent on each side are printed too: on a local emulator the
 * push is bound by its own work, not by the network.
 * Both sides are measured twice: straight to the emulator, where the floor
 * does nothing but hand bytes to a local process, and through a line with a
 * branch's 40 ms round trip to the cloud (scripts/delay-line.ts, a process
 * of its own), where a till's work can overlap its waiting as it would in a
 * shop. Both ratios are printed and checked (docs/sync.md says why).
 * A first, unmeasured push goes to the API's own queue and is drained into
 * the central database, so the texts the floor sends are proven to be
 * messages head office accepts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { QueueClient } from '@azure/storage-queue';
import { BranchSas } from '../../cloud-worker/queue/branch-sas';
import { createIdFactory } from '../../shared/ids';
import { type Poisha, taka } from '../../shared/money';
import { priceDraft, type SaleDraft } from '../../shared/sale-draft';
import type { PaymentMethod } from '../../shared/tender';
import { openTill, type Till } from '../../main/open-till';
import { completeSale } from '../../main/sale/complete-sale';
import { addLine } from '../../main/sale/edit-lines';
import { startSale } from '../../main/sale/start-sale';
import { addPayment } from '../../main/sale/tender';
import { openShift } from '../../main/shift/open-shift';
import { inTransaction } from '../../main/store/db';
import { outboxCounts } from '../../main/store/outbox';
import { packOutbox } from '../../main/sync/pack';
import { sealOutbox } from '../../main/sync/seal';
import { loadCredentials } from '../../main/sync/provision';
import { pullAll } from '../../main/sync/pull';
import { pushOutbox, type PushSummary, sasQueueSender } from '../../main/sync/push';
import { tillQueuePrimitives, tillSigner } from '../../main/sync/till-primitives';
import { must } from '../../main/testing/ring';
import { keepingSent } from '../../main/testing/senders';
import { seededRandom } from '../../main/testing/random';
import { startChain, tillPaths, type Chain } from '../../test/sync/chain';
import { startDelayLine } from '../delay-line';
import { type BenchResult, centralKind, check, figure, median } from './harness';
import { ean13 as validEan13, pick } from '../seed/catalog';

const SALES = 10_000;
const ROUNDS = 3;
/** Messages in flight at once, on both sides (pushOutbox's own default). */
const CONCURRENCY = 4;
/** A branch's round trip to the cloud region over ordinary shop internet. */
const BRANCH_RTT_MS = 40;
const SEED = 20_240_611;
const RING_CHUNK = 500;
const BRANCH = 'DHK01';

type Item = readonly [en: string, bn: string, taka: number, vatBps: number, unit: 'piece' | 'kg'];

/** What a neighbourhood shop sells most: loose staples by the kilo, packets by the piece. */
const SHELF: readonly Item[] = [
  ['Miniket Rice', 'মিনিকেট চাল', 78, 0, 'kg'],
  ['Chinigura Rice', 'চিনিগুড়া চাল', 140, 0, 'kg'],
  ['Masoor Dal', 'মসুর ডাল', 135, 500, 'kg'],
  ['Moong Dal', 'মুগ ডাল', 160, 500, 'kg'],
  ['Sugar', 'চিনি', 130, 0, 'kg'],
  ['Onion', 'পেঁয়াজ', 90, 0, 'kg'],
  ['Potato', 'আলু', 45, 0, 'kg'],
  ['Garlic', 'রসুন', 220, 0, 'kg'],
  ['Chickpeas', 'ছোলা', 110, 0, 'kg'],
  ['Puffed Rice', 'মুড়ি', 80, 0, 'kg'],
  ['Rupchanda Soybean Oil 1L', 'রূপচাঁদা সয়াবিন তেল ১ লিটার', 190, 750, 'piece'],
  ['Radhuni Mustard Oil 500ml', 'রাঁধুনী সরিষার তেল ৫০০ মিলি', 165, 750, 'piece'],
  ['ACI Pure Salt 1kg', 'এসিআই পিওর লবণ ১ কেজি', 42, 0, 'piece'],
  ['Teer Atta 2kg', 'তীর আটা ২ কেজি', 130, 0, 'piece'],
  ['Ispahani Mirzapore Tea 400g', 'ইস্পাহানি মির্জাপুর চা ৪০০ গ্রাম', 260, 1000, 'piece'],
  ['Farm Egg (dozen)', 'ফার্মের ডিম (ডজন)', 150, 0, 'piece'],
  ['Milk Vita UHT Milk 1L', 'মিল্ক ভিটা ইউএইচটি দুধ ১ লিটার', 110, 0, 'piece'],
  ['Dano Milk Powder 500g', 'ডানো গুঁড়া দুধ ৫০০ গ্রাম', 450, 500, 'piece'],
  ['Pran Mango Juice 250ml', 'প্রাণ আমের জুস ২৫০ মিলি', 30, 1500, 'piece'],
  ['Mojo 500ml', 'মোজো ৫০০ মিলি', 40, 1500, 'piece'],
  ['Kinley Drinking Water 1.5L', 'কিনলে খাবার পানি ১.৫ লিটার', 30, 1500, 'piece'],
  ['Olympic Energy Plus Biscuits', 'অলিম্পিক এনার্জি প্লাস বিস্কুট', 20, 750, 'piece'],
  ['Bombay Sweets Chanachur 150g', 'বোম্বে সুইটস চানাচুর ১৫০ গ্রাম', 45, 750, 'piece'],
  ['Mr. Noodles Masala 8 pack', 'মি. নুডলস মাসালা ৮ প্যাক', 160, 750, 'piece'],
  ['Radhuni Turmeric Powder 200g', 'রাঁধুনী হলুদ গুঁড়া ২০০ গ্রাম', 95, 500, 'piece'],
  ['Radhuni Chili Powder 200g', 'রাঁধুনী মরিচ গুঁড়া ২০০ গ্রাম', 110, 500, 'piece'],
  ['Lux Soap 100g', 'লাক্স সাবান ১০০ গ্রাম', 55, 1500, 'piece'],
  ['Lifebuoy Hand Wash 200ml', 'লাইফবয় হ্যান্ড ওয়াশ ২০০ মিলি', 120, 1500, 'piece'],
  ['Sunsilk Shampoo 180ml', 'সানসিল্ক শ্যাম্পু ১৮০ মিলি', 280, 1500, 'piece'],
  ['Pepsodent Toothpaste 100g', 'পেপসোডেন্ট টুথপেস্ট ১০০ গ্রাম', 95, 1500, 'piece'],
  ['Wheel Detergent 1kg', 'হুইল ডিটারজেন্ট ১ কেজি', 150, 1500, 'piece'],
  ['Vim Dishwashing Liquid 500ml', 'ভিম ডিশওয়াশিং লিকুইড ৫০০ মিলি', 105, 1500, 'piece'],
  ['ACI Aerosol 475ml', 'এসিআই অ্যারোসল ৪৭৫ মিলি', 420, 1500, 'piece'],
  ['Good Knight Mosquito Coil', 'গুড নাইট মশার কয়েল', 60, 1500, 'piece'],
  ['Fresh Facial Tissue', 'ফ্রেশ ফেসিয়াল টিস্যু', 70, 1500, 'piece'],
  ['Dekko Matchbox (10)', 'ডেকো ম্যাচবক্স (১০)', 25, 0, 'piece'],
];

/** A valid EAN-13 with Bangladesh's GS1 prefix 894, unique per n. */
function ean13(n: number): string {
  return validEan13(`894${String(7_000_000 + n).padStart(9, '0')}`);
}

/** Most baskets are small; a few are a family's weekly shop. */
const LINES_PER_BASKET = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8] as const;

function reference(random: () => number, length: number): string {
  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  return Array.from({ length }, () => pick(random, [...chars])).join('');
}

/** Rounds a cash amount up to what a customer hands over: the next ৳1, ৳10, ৳100 or ৳500. */
function handedOver(random: () => number, due: number): number {
  const step = pick(random, [100, 1_000, 10_000, 50_000]);
  return Math.max(due, Math.ceil(due / step) * step);
}

/** Rings up one sale through the real use cases: start, scan, tender, complete. */
function ringSale(till: Till, shiftId: string, barcodes: readonly string[], random: () => number): void {
  const { deps } = till;
  let draft: SaleDraft = must(startSale(deps, { shiftId }));
  const chosen = new Set<number>();
  const lines = pick(random, LINES_PER_BASKET);
  while (chosen.size < lines) chosen.add(Math.floor(random() * barcodes.length));
  for (const k of chosen) {
    const loose = SHELF[k]?.[4] === 'kg';
    const quantity = loose
      ? 250 * (1 + Math.floor(random() * 12))
      : 1000 * (random() < 0.8 ? 1 : 2 + Math.floor(random() * 3));
    draft = must(addLine(deps, draft, { barcode: barcodes[k] as string, quantity }));
  }
  const due: Poisha = priceDraft(draft).total;
  const wallet = (methods: readonly PaymentMethod[]) => {
    const method = pick(random, methods);
    return { method, reference: reference(random, method === 'card' ? 6 : 10) };
  };
  const r = random();
  if (r < 0.65) {
    draft = must(addPayment(draft, { method: 'cash', amount: handedOver(random, due) }));
  } else if (r < 0.875) {
    draft = must(addPayment(draft, { ...wallet(['card', 'bkash', 'bkash', 'nagad']), amount: due }));
  } else {
    // Split: part on a card or a wallet, the rest in cash.
    const part = Math.floor((due * (0.3 + random() * 0.5)) / 100) * 100;
    if (part > 0 && part < due)
      draft = must(addPayment(draft, { ...wallet(['card', 'bkash', 'nagad']), amount: part }));
    draft = must(addPayment(draft, { method: 'cash', amount: handedOver(random, due - (part < due ? part : 0)) }));
  }
  must(completeSale(deps, draft));
}

/**
 * Rings up `count` sales: distinct products per basket, loose goods weighed,
 * mostly cash with change, some card, bKash or Nagad, and about one in eight
 * split between a card or a wallet and cash. Each sale is its own transaction
 * as at the counter; a few hundred share an outer one here (they become
 * savepoints), only so that setting up does not wait on 10,000 flushes.
 */
function ringSales(till: Till, cashierId: string, barcodes: readonly string[], count: number): void {
  const random = seededRandom(SEED);
  const shift = must(openShift(till.deps, { cashierId, openingFloat: taka(5000) }));
  for (let done = 0; done < count; done += RING_CHUNK) {
    inTransaction(till.deps.db, () => {
      for (let i = done; i < Math.min(count, done + RING_CHUNK); i++) ringSale(till, shift.id, barcodes, random);
    });
  }
}

/** A fresh queue and an add-only SAS URL for it, made as head office makes the branches'. */
async function freshQueue(chain: Chain, purpose: string): Promise<{ queue: QueueClient; sasUrl: string }> {
  const queue = chain.f.service.getQueueClient(`bench-${purpose}-${randomBytes(4).toString('hex')}`);
  await queue.create();
  return { queue, sasUrl: await new BranchSas(queue).url() };
}

/**
 * A reader of the CPU time another process has used, in milliseconds, where
 * the system shows it (Linux's /proc, in clock ticks of 10 ms); undefined elsewhere.
 */
function processCpuMs(pid: number | undefined): (() => number) | undefined {
  if (pid === undefined) return undefined;
  const read = () => {
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14th and 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  try {
    return Number.isFinite(read()) ? read : undefined;
  } catch {
    return undefined;
  }
}

async function messagesIn(queue: QueueClient): Promise<number> {
  return (await queue.getProperties()).approximateMessagesCount ?? 0;
}

/** The floor: ready-made texts sent with the raw SDK, `concurrency` in flight. */
async function sendReadyMade(sasUrl: string, texts: readonly string[], concurrency: number): Promise<void> {
  const client = new QueueClient(sasUrl);
  let next = 0;
  const lane = async () => {
    while (next < texts.length) {
      const text = texts[next++] as string;
      await client.sendMessage(text, { messageTimeToLive: -1 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, texts.length) }, lane));
}

export async function push(): Promise<BenchResult> {
  const chain = await startChain(centralKind());
  let till: Till | undefined;
  try {
    await chain.addBranch(BRANCH);
    const barcodes = SHELF.map((_, i) => ean13(i + 1));
    for (const [i, [nameEn, nameBn, price, vatBps, unit]] of SHELF.entries()) {
      await chain.addProduct(`P${String(i + 1).padStart(4, '0')}`, {
        nameEn,
        nameBn,
        price: taka(price),
        vatRate: vatBps,
        unit,
        barcodes: [barcodes[i] as string],
      });
    }
    const cashierId = await chain.addStaff(BRANCH, 'cashier', '1234');
    const { dir } = await chain.addTill(BRANCH, 1);
    const credentials = loadCredentials(dir);
    till = openTill(tillPaths(dir).db);
    const db = till.deps.db;
    const pulled = await pullAll({ db, now: Date.now, credentials });
    if (pulled.products !== SHELF.length) throw new Error(`the till pulled ${pulled.products} products`);

    const ringStart = performance.now();
    ringSales(till, cashierId, barcodes, SALES);
    const events = outboxCounts(db).pending;
    console.log(
      `  rang up ${SALES.toLocaleString('en-US')} sales (${events.toLocaleString('en-US')} outbox events) in ${Math.round(performance.now() - ringStart)} ms`,
    );

    const pushDeps = {
      db,
      till: till.id,
      ids: createIdFactory(Date.now, (n) => new Uint8Array(randomBytes(n))),
      now: Date.now,
      signer: tillSigner(credentials.keyId, credentials.signingKey),
      primitives: tillQueuePrimitives,
      concurrency: CONCURRENCY,
    };
    const putBack = () => inTransaction(db, () => db.prepare('DELETE FROM outbox_queued').run());

    // The till was offline while it rang these up, and each sync run that found
    // no answer packed what had come in since the last (the last message's
    // worth is left for the push, as more sales would have filled it). Done
    // here in one go: the same work, only not spread over the outage.
    const sealStart = performance.now();
    const sealed = await sealOutbox(pushDeps);
    const sealMs = performance.now() - sealStart;
    console.log(
      `  sealed while offline: ${sealed.messages} messages, ${sealed.events.toLocaleString('en-US')} of ${events.toLocaleString('en-US')} events, in ${Math.round(sealMs)} ms`,
    );

    // The packer's own texts, captured on their way to the API's queue, then
    // ingested by head office's worker: the floor sends exactly these.
    const texts: string[] = [];
    const first = await pushOutbox({ ...pushDeps, sender: keepingSent(sasQueueSender(pulled.queueUrl), texts) });
    const drained = await chain.drain();
    const [central] = await chain.f.t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sales WHERE branch = $1 AND till_no = 1',
      [BRANCH],
    );
    if (first.sales !== SALES || central?.n !== SALES || drained.rejected !== 0) {
      throw new Error(
        `the first push sent ${first.sales} sales; head office ingested ${central?.n} and rejected ${drained.rejected}`,
      );
    }
    const bytes = texts.reduce((s, t) => s + t.length, 0);
    console.log(
      `  first push: ${first.messages} messages, ${first.events} events, ${Math.round(bytes / 1024)} KiB; head office ingested all ${SALES.toLocaleString('en-US')} sales`,
    );

    // Reading and packing alone, no sending: what the push does beyond the floor.
    putBack();
    const packStart = performance.now();
    let packed = 0;
    for await (const m of packOutbox(pushDeps, outboxCounts(db).lastSeq, { ahead: CONCURRENCY })) packed += m.events;
    const packMs = performance.now() - packStart;
    if (packed !== events) throw new Error(`packing alone packed ${packed} of ${events} events`);

    // CPU of this process (the till's side; Azurite is a process of its own),
    // to tell a push that computes from one that waits.
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    const azuriteCpu = processCpuMs(chain.f.azurite.pid);
    let summary: PushSummary = first;
    /**
     * Both sides, ROUNDS times each after one round not counted, alternating,
     * with the queue reached at `via(sasUrl)`; the floor sends `texts`.
     */
    const measure = async (line: string, via: (sasUrl: string) => string, texts: readonly string[]) => {
      const runs = {
        pushMs: [] as number[],
        floorMs: [] as number[],
        pushCpuMs: [] as number[],
        floorCpuMs: [] as number[],
        pushAzuriteCpuMs: [] as number[],
        floorAzuriteCpuMs: [] as number[],
      };
      const runPush = async (round: number) => {
        putBack();
        const { queue, sasUrl } = await freshQueue(chain, `push${round}`);
        const cpu = process.cpuUsage();
        const azurite = azuriteCpu?.();
        const start = performance.now();
        summary = await pushOutbox({ ...pushDeps, sender: sasQueueSender(via(sasUrl)) });
        runs.pushMs.push(performance.now() - start);
        runs.pushCpuMs.push(cpuMs(cpu));
        if (azurite !== undefined) runs.pushAzuriteCpuMs.push((azuriteCpu?.() ?? azurite) - azurite);
        const left = outboxCounts(db).pending;
        const queued = await messagesIn(queue);
        if (summary.sales !== SALES || left !== 0 || queued !== summary.messages) {
          throw new Error(
            `push round ${round}: ${summary.sales} sales, ${left} left pending, ${queued} messages queued`,
          );
        }
        await queue.delete();
      };
      const runFloor = async (round: number) => {
        const { queue, sasUrl } = await freshQueue(chain, `floor${round}`);
        const cpu = process.cpuUsage();
        const azurite = azuriteCpu?.();
        const start = performance.now();
        await sendReadyMade(via(sasUrl), texts, CONCURRENCY);
        runs.floorMs.push(performance.now() - start);
        runs.floorCpuMs.push(cpuMs(cpu));
        if (azurite !== undefined) runs.floorAzuriteCpuMs.push((azuriteCpu?.() ?? azurite) - azurite);
        const queued = await messagesIn(queue);
        if (queued !== texts.length) throw new Error(`floor round ${round}: ${queued} of ${texts.length} queued`);
        await queue.delete();
      };
      // One round of both sides first, not counted: the line's first
      // connections and first runs through it fell on whichever side went
      // first (the push, always), a second or two through the delay line.
      await runFloor(-1);
      await runPush(-1);
      for (const list of Object.values(runs)) list.length = 0;
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which side goes first, so that drift falls on both alike.
        if (round % 2 === 0) {
          await runPush(round);
          await runFloor(round);
        } else {
          await runFloor(round);
          await runPush(round);
        }
      }
      const ms = (list: readonly number[]) => list.map((v) => Math.round(v)).join(', ');
      console.log(`  ${line}: push runs ${ms(runs.pushMs)} ms; floor runs ${ms(runs.floorMs)} ms`);
      const pushRate = SALES / (median(runs.pushMs) / 1000);
      const floorRate = SALES / (median(runs.floorMs) / 1000);
      const ratio = figure(`${line}: ratio (push / floor throughput)`, pushRate / floorRate, '×');
      return {
        ratio,
        figures: [
          figure(`${line}: push (median of ${ROUNDS})`, pushRate, 'sales/s'),
          figure(`${line}: floor, ready-made texts, raw SDK (median of ${ROUNDS})`, floorRate, 'sales/s'),
          ratio,
          figure(`${line}: push time (median)`, median(runs.pushMs), 'ms'),
          figure(`${line}: floor time (median)`, median(runs.floorMs), 'ms'),
          figure(`${line}: push CPU, till process (median)`, median(runs.pushCpuMs), 'ms'),
          figure(`${line}: floor CPU, till process (median)`, median(runs.floorCpuMs), 'ms'),
          ...(runs.pushAzuriteCpuMs.length === ROUNDS && runs.floorAzuriteCpuMs.length === ROUNDS
            ? [
                figure(`${line}: push CPU, Azurite process (median)`, median(runs.pushAzuriteCpuMs), 'ms'),
                figure(`${line}: floor CPU, Azurite process (median)`, median(runs.floorAzuriteCpuMs), 'ms'),
              ]
            : []),
        ],
      };
    };

    // Straight to the emulator on this machine: no network at all, so the
    // floor does nothing but hand bytes to a local process while the push
    // also reads, compresses, signs and marks. Then the same through a line
    // with a branch's round trip to the cloud (docs/sync.md says why both).
    const direct = await measure('direct', (url) => url, texts);
    const line = await startDelayLine(chain.f.azurite.port, BRANCH_RTT_MS / 2);
    let distant: Awaited<ReturnType<typeof measure>>;
    try {
      distant = await measure(
        `${BRANCH_RTT_MS} ms round trip`,
        (url) => {
          const proxied = new URL(url);
          proxied.port = String(line.port);
          return proxied.toString();
        },
        texts,
      );
    } finally {
      await line.close();
    }

    const pushed = summary;
    // The same outbox with nothing sealed: a push that packs every message
    // itself, as after an outage that ended before any run found it (or a
    // till that ran nothing while offline). Its own texts, captured on a
    // throwaway queue, are the floor's.
    inTransaction(db, () => db.prepare('DELETE FROM outbox_sealed').run());
    putBack();
    const coldTexts: string[] = [];
    const scratch = await freshQueue(chain, 'cold');
    await pushOutbox({ ...pushDeps, sender: keepingSent(sasQueueSender(scratch.sasUrl), coldTexts) });
    await scratch.queue.delete();
    const cold = await measure('direct, nothing sealed', (url) => url, coldTexts);

    const perMessage = figure('sales per message (average)', SALES / pushed.messages, 'sales');
    return {
      name: 'push',
      figures: [
        ...direct.figures,
        ...distant.figures,
        ...cold.figures,
        figure('sealing while offline: messages', sealed.messages, 'messages'),
        figure('sealing while offline: time (once)', sealMs, 'ms'),
        figure('reading and packing alone, no sending (once)', packMs, 'ms'),
        figure('messages', pushed.messages, 'messages'),
        perMessage,
        figure('message size (average)', bytes / texts.length, 'bytes'),
      ],
      checks: [check(direct.ratio, '>=', 0.8), check(distant.ratio, '>=', 0.8), check(perMessage, '>=', 50)],
    };
  } finally {
    till?.store.close();
    await chain.close();
  }
}
