/**
 * A loopback TCP proxy that can cut the line: what a shop's flaky internet
 * does to a till, on demand. Used by the sync tests and the local stack to
 * take a branch offline and back without touching the services behind it,
 * and by benchmarks to put a branch's distance to the cloud (`delayMs` each
 * way, so twice that round trip) between a till and a local emulator.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Refuses new connections and resets open ones. */
  cut(): Promise<void>;
  /**
   * A line that goes quiet instead of failing: connections, open and new,
   * are held but nothing goes through either way, so whoever waits for an
   * answer waits until its own timeout.
   */
  stall(): void;
  /** Accepts connections again, on the same port; after a stall, first resets what was held. */
  restore(): Promise<void>;
  readonly isCut: boolean;
  readonly isStalled: boolean;
  /** Resets the open connections (a dropped line) but keeps accepting new ones. */
  reset(): void;
  /** Holds every byte this long from now on, in each direction, on new and open connections. */
  setDelay(delayMs: number): void;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /**
   * Milliseconds every byte is held in each direction; 0 forwards at once.
   * Give it (0 too) for `setDelay` to slow connections already open;
   * without it they are piped straight through, with backpressure.
   */
  readonly delayMs?: number;
}

/**
 * Forwards what `from` sends to `to`, `delay()` later, in order; an end
 * likewise. A delay that changes midway never lets a chunk overtake the one
 * before it: each is sent no earlier than its predecessor. Nothing while stalled.
 */
function forward(from: Socket, to: Socket, delay: (() => number) | null, stalled: () => boolean): void {
  if (!delay) {
    from.pipe(to);
    return;
  }
  // Sends wait in one queue, so a send due now never overtakes an earlier one whose timer is late.
  let last = 0;
  const queue: { at: number; send: () => void }[] = [];
  let timer: NodeJS.Timeout | null = null;
  const pump = () => {
    const next = queue[0];
    if (timer || !next) return;
    timer = setTimeout(
      () => {
        timer = null;
        const now = Date.now();
        while (queue.length > 0 && queue[0]!.at <= now) queue.shift()!.send();
        pump();
      },
      Math.max(0, next.at - Date.now()),
    );
  };
  const later = (send: () => void) => {
    const at = Math.max(Date.now() + delay(), last);
    last = at;
    if (queue.length === 0 && at <= Date.now()) return send();
    queue.push({ at, send });
    pump();
  };
  from.on('data', (chunk: Buffer) => {
    if (!stalled()) later(() => to.writable && !stalled() && to.write(chunk));
  });
  from.on('end', () => later(() => to.end()));
}

export async function startTcpProxy(
  target: { host?: string; port: number },
  listenPort = 0,
  options: ProxyOptions = {},
): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let server: Server | null = null;
  let port = listenPort;
  let delayMs = options.delayMs ?? 0;
  const delay = options.delayMs === undefined ? null : () => delayMs;
  let stalled = false;
  const isStalled = () => stalled;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        if (stalled) {
          // Taken, never answered.
          sockets.add(client);
          client.pause();
          client.on('error', () => client.destroy()).on('close', () => sockets.delete(client));
          return;
        }
        const upstream = connect(target.port, target.host ?? '127.0.0.1');
        sockets.add(client).add(upstream);
        const pair = { client, upstream };
        pairs.add(pair);
        const drop = () => {
          pairs.delete(pair);
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        forward(client, upstream, delay, isStalled);
        forward(upstream, client, delay, isStalled);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });

  const resetAll = () => {
    for (const socket of sockets) socket.resetAndDestroy();
    sockets.clear();
    pairs.clear();
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = null;
      stalled = false;
      resetAll();
      if (!s) return resolve();
      s.close(() => resolve());
    });

  await listen();
  return {
    get port() {
      return port;
    },
    get isCut() {
      return server === null;
    },
    get isStalled() {
      return stalled;
    },
    cut: stop,
    reset: resetAll,
    setDelay(ms) {
      if (!delay) throw new Error('start the proxy with a delayMs (0 will do) to change its delay');
      delayMs = Math.max(0, ms);
    },
    stall() {
      stalled = true;
      for (const { client, upstream } of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    async restore() {
      if (stalled) {
        stalled = false;
        resetAll();
      }
      if (!server) await listen();
    },
    close: stop,
  };
}
