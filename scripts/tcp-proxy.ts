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
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Milliseconds every byte is held in each direction; 0 forwards at once. */
  readonly delayMs?: number;
}

/** Forwards what `from` sends to `to`, `delayMs` later, in order; an end likewise. Nothing while stalled. */
function forward(from: Socket, to: Socket, delayMs: number, stalled: () => boolean): void {
  if (delayMs <= 0) {
    from.pipe(to);
    return;
  }
  // Timers of one duration fire in the order they were set, so chunks stay in order.
  from.on('data', (chunk: Buffer) => {
    if (!stalled()) setTimeout(() => to.writable && !stalled() && to.write(chunk), delayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
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
        const pair = { client, upstream };
        pairs.add(pair);
        sockets.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
          pairs.delete(pair);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        forward(client, upstream, options.delayMs ?? 0, isStalled);
        forward(upstream, client, options.delayMs ?? 0, isStalled);
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
