/**
 * The chain's load at a given size, worked out from the measured costs of
 * our benchmarks (`.bench/push.json`, `.bench/ingest.json`): queue calls,
 * database rows and storage at the average and at a peak, each set against
 * the limit it runs into (Azure Queue Storage's published scalability
 * targets, and one PostgreSQL server as measured by the COPY baseline), and
 * how many queues, workers and database shards the load needs. Pure: the
 * command in `simulate.ts` reads the files and prints what this returns.
 */

/** What the chain looks like and how it trades. */
export interface Chain {
  readonly branches: number;
  readonly tillsPerBranch: number;
  /** Sales a branch makes in a day, across its tills. */
  readonly salesPerBranchPerDay: number;
  /** The hours of a trading day, over which the day's sales spread. */
  readonly tradingHours: number;
  /** How many times the average rate the busiest hour runs at (Eid, evenings). */
  readonly peakFactor: number;
  /** The till's sync schedule: one pull and one push per till this often. */
  readonly syncMinutes: number;
}

/** What our benchmarks measured on this machine. */
export interface MeasuredCosts {
  /** Sales a full queue message holds (push benchmark). */
  readonly salesPerFullMessage: number;
  /** Bytes of queue message per sale, compressed and signed (push benchmark). */
  readonly messageBytesPerSale: number;
  /** Sales per second one worker ingests (ingest benchmark). */
  readonly workerSalesPerSecond: number;
  /** Sales per second COPY writes into the same tables: the database's own ceiling here. */
  readonly copySalesPerSecond: number;
  /** Rows one sale adds centrally (ingest benchmark). */
  readonly rowsPerSale: number;
  /** Bytes of data and indexes one sale adds centrally (ingest benchmark). */
  readonly storageBytesPerSale: number;
}

/** Published targets of Azure Queue Storage (standard general-purpose v2 account). */
export const AZURE_QUEUE_LIMITS = {
  /** Target throughput of one queue, 1 KiB messages. */
  messagesPerSecondPerQueue: 2_000,
  /** Maximum request rate of a storage account. */
  requestsPerSecondPerAccount: 20_000,
  /** Largest message. */
  messageBytes: 64 * 1024,
} as const;

/** Planning rules: run nothing hotter than this share of its limit at the peak. */
export const HEADROOM = {
  queue: 0.5,
  worker: 0.7,
  database: 0.5,
} as const;

/** A worker polls a busy queue at most this often (cloud-worker's minimum idle wait is 250 ms). */
const RECEIVES_PER_SECOND_PER_BUSY_WORKER = 4;
/** A receive takes up to 32 messages. */
const MESSAGES_PER_RECEIVE = 32;

export interface Load {
  readonly salesPerSecond: number;
  readonly salesPerTillPerSync: number;
  readonly messagesPerTillPerSync: number;
  readonly averageMessageBytes: number;
  readonly putsPerSecond: number;
  readonly receivesPerSecond: number;
  readonly deletesPerSecond: number;
  readonly queueRequestsPerSecond: number;
  readonly queueBytesPerSecond: number;
  readonly pullsPerSecond: number;
  readonly rowsPerSecond: number;
  readonly workers: number;
}

export interface Limit {
  readonly name: string;
  /** The figure at the peak, and the limit it is set against. */
  readonly atPeak: number;
  readonly limit: number;
  readonly unit: string;
  /** atPeak ÷ limit. */
  readonly use: number;
  /** How many branches of this kind the limit allows, at the peak with the headroom kept. */
  readonly branchesAllowed: number;
}

export interface ScalePlan {
  readonly chain: Chain;
  readonly costs: MeasuredCosts;
  readonly salesPerDay: number;
  readonly average: Load;
  readonly peak: Load;
  readonly storageBytesPerYear: number;
  readonly limits: readonly Limit[];
  /** The limit that the chain reaches first as it grows (highest use). */
  readonly first: Limit;
  readonly queues: number;
  readonly storageAccounts: number;
  readonly workers: number;
  readonly databaseShards: number;
}

export function validateChain(chain: Chain): void {
  const positive: (keyof Chain)[] = [
    'branches',
    'tillsPerBranch',
    'salesPerBranchPerDay',
    'tradingHours',
    'peakFactor',
    'syncMinutes',
  ];
  for (const key of positive) {
    const value = chain[key];
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${key}: must be a number above 0, got ${value}`);
  }
  if (chain.tradingHours > 24) throw new Error(`tradingHours: a day has 24 hours, got ${chain.tradingHours}`);
  if (chain.peakFactor < 1) throw new Error(`peakFactor: the peak is at least the average, got ${chain.peakFactor}`);
}

function loadAt(chain: Chain, costs: MeasuredCosts, factor: number): Load {
  const tills = chain.branches * chain.tillsPerBranch;
  const syncSeconds = chain.syncMinutes * 60;
  const salesPerSecond = (factor * chain.branches * chain.salesPerBranchPerDay) / (chain.tradingHours * 3600);
  const salesPerTillPerSync = (salesPerSecond / tills) * syncSeconds;
  // A sync with sales sends at least one message; a till that sells less
  // than once per sync sends in that share of its syncs only.
  const messagesPerTillPerSync =
    salesPerTillPerSync < 1 ? salesPerTillPerSync : Math.ceil(salesPerTillPerSync / costs.salesPerFullMessage);
  const putsPerSecond = (tills * messagesPerTillPerSync) / syncSeconds;
  const averageMessageBytes =
    messagesPerTillPerSync === 0
      ? 0
      : (Math.max(1, salesPerTillPerSync) * costs.messageBytesPerSale) / Math.max(1, messagesPerTillPerSync);
  const workers = Math.max(1, Math.ceil(salesPerSecond / (costs.workerSalesPerSecond * HEADROOM.worker)));
  // Every message is received once and deleted once; a receive takes up to
  // 32, and a busy worker asks again as soon as it has written the last.
  const receivesPerSecond = Math.min(
    putsPerSecond,
    Math.max(putsPerSecond / MESSAGES_PER_RECEIVE, workers * RECEIVES_PER_SECOND_PER_BUSY_WORKER),
  );
  const deletesPerSecond = putsPerSecond;
  return {
    salesPerSecond,
    salesPerTillPerSync,
    messagesPerTillPerSync,
    averageMessageBytes,
    putsPerSecond,
    receivesPerSecond,
    deletesPerSecond,
    queueRequestsPerSecond: putsPerSecond + receivesPerSecond + deletesPerSecond,
    queueBytesPerSecond: putsPerSecond * averageMessageBytes,
    pullsPerSecond: tills / syncSeconds,
    rowsPerSecond: salesPerSecond * costs.rowsPerSale,
    workers,
  };
}

function limit(name: string, atPeak: number, cap: number, unit: string, branches: number, headroom: number): Limit {
  const use = atPeak / cap;
  // Load grows in step with the number of branches.
  const branchesAllowed = use === 0 ? Infinity : Math.floor((branches * headroom) / use);
  return { name, atPeak, limit: cap, unit, use, branchesAllowed };
}

export function plan(chain: Chain, costs: MeasuredCosts): ScalePlan {
  validateChain(chain);
  const average = loadAt(chain, costs, 1);
  const peak = loadAt(chain, costs, chain.peakFactor);
  const salesPerDay = chain.branches * chain.salesPerBranchPerDay;
  const limits: Limit[] = [
    limit(
      'messages into one queue',
      peak.putsPerSecond,
      AZURE_QUEUE_LIMITS.messagesPerSecondPerQueue,
      'messages/s',
      chain.branches,
      HEADROOM.queue,
    ),
    limit(
      'requests to one storage account',
      peak.queueRequestsPerSecond,
      AZURE_QUEUE_LIMITS.requestsPerSecondPerAccount,
      'requests/s',
      chain.branches,
      HEADROOM.queue,
    ),
    // What one server is proven to take: the rate one worker wrote into it.
    // More workers take more, up to the COPY ceiling below, which no ingest
    // path can pass; the plan keeps to the proven figure.
    limit(
      'one PostgreSQL server, proven rate (one worker)',
      peak.salesPerSecond,
      costs.workerSalesPerSecond,
      'sales/s',
      chain.branches,
      HEADROOM.database,
    ),
    limit(
      'one PostgreSQL server, ceiling (COPY)',
      peak.salesPerSecond,
      costs.copySalesPerSecond,
      'sales/s',
      chain.branches,
      HEADROOM.database,
    ),
  ];
  const first = limits.reduce((a, b) => (b.use > a.use ? b : a));
  return {
    chain,
    costs,
    salesPerDay,
    average,
    peak,
    storageBytesPerYear: salesPerDay * 365 * costs.storageBytesPerSale,
    limits,
    first,
    queues: Math.max(1, Math.ceil(limits[0]!.use / HEADROOM.queue)),
    storageAccounts: Math.max(1, Math.ceil(limits[1]!.use / HEADROOM.queue)),
    workers: peak.workers,
    databaseShards: Math.max(1, Math.ceil(limits[2]!.use / HEADROOM.database)),
  };
}
