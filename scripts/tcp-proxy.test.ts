import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayLine } from './delay-line';
import { startTcpProxy } from './tcp-proxy';

/** Sends each connection back what it sends. */
let echo: Server;
beforeAll(async () => {
  // The proxy resets its side when a test ends: that is no error of the echo's.
  echo = createServer((socket) => socket.on('error', () => socket.destroy()).pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

/** Sends `chunks` through `port` and resolves with what came back once it is as long. */
async function roundTrip(port: number, chunks: readonly Buffer[]): Promise<Buffer> {
  const socket = connect(port, '127.0.0.1');
  const length = chunks.reduce((n, c) => n + c.length, 0);
  const received: Buffer[] = [];
  let got = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject).once('close', () => reject(new Error(`closed after ${got} of ${length} bytes`)));
      socket.on('data', (c: Buffer) => {
        received.push(c);
        got += c.length;
        if (got >= length) resolve();
      });
      socket.once('connect', () => {
        for (const c of chunks) socket.write(c);
      });
    });
  } finally {
    socket.destroy();
  }
  return Buffer.concat(received);
}

describe('the TCP proxy', () => {
  const chunks = Array.from({ length: 300 }, (_, i) => Buffer.from(`chunk ${i} ${'x'.repeat(i % 97)}|`));

  for (const delayMs of [0, 5]) {
    it(`carries every byte both ways, in order (delay ${delayMs} ms)`, async () => {
      const proxy = await startTcpProxy({ port: (echo.address() as AddressInfo).port }, 0, { delayMs });
      try {
        const back = await roundTrip(proxy.port, chunks);
        expect(back.toString()).toBe(Buffer.concat(chunks).toString());
      } finally {
        await proxy.close();
      }
    });
  }

  it('refuses connections while cut, and carries them again once restored', async () => {
    const proxy = await startTcpProxy({ port: (echo.address() as AddressInfo).port });
    try {
      await proxy.cut();
      await expect(roundTrip(proxy.port, chunks)).rejects.toThrow(/ECONNREFUSED/);
      await proxy.restore();
      expect((await roundTrip(proxy.port, chunks.slice(0, 3))).toString()).toBe(
        Buffer.concat(chunks.slice(0, 3)).toString(),
      );
    } finally {
      await proxy.close();
    }
  });

  it('resets open connections on reset and still accepts new ones', async () => {
    const proxy = await startTcpProxy({ port: (echo.address() as AddressInfo).port });
    try {
      const socket = connect(proxy.port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('data', () => resolve()).write('hello'));
      const closed = new Promise<string>((resolve) =>
        socket
          .once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'))
          .once('close', () => resolve('close')),
      );
      proxy.reset();
      expect(await closed).toMatch(/ECONNRESET|close/);
      expect(proxy.isCut).toBe(false);
      expect((await roundTrip(proxy.port, chunks.slice(0, 3))).toString()).toBe(
        Buffer.concat(chunks.slice(0, 3)).toString(),
      );
    } finally {
      await proxy.close();
    }
  });

  it('keeps every byte in order while its delay changes on an open connection', async () => {
    const proxy = await startTcpProxy({ port: (echo.address() as AddressInfo).port }, 0, { delayMs: 0 });
    try {
      const sent = roundTrip(proxy.port, chunks);
      proxy.setDelay(20);
      setTimeout(() => proxy.setDelay(0), 5);
      expect((await sent).toString()).toBe(Buffer.concat(chunks).toString());
    } finally {
      await proxy.close();
    }
  });
  for (const delayMs of [0, 5]) {
    it(`holds connections unanswered while stalled, and carries new ones once restored (delay ${delayMs} ms)`, async () => {
      const proxy = await startTcpProxy({ port: (echo.address() as AddressInfo).port }, 0, { delayMs });
      const opened = async () => {
        const socket = connect(proxy.port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        const seen = { answered: false, closed: new Promise((resolve) => socket.once('close', resolve)) };
        socket.on('data', () => (seen.answered = true)).on('error', () => undefined);
        return { socket, seen };
      };
      try {
        const before = await opened();
        proxy.stall();
        const during = await opened();
        before.socket.write('anyone there?');
        during.socket.write('hello?');
        // The echo answers at once when it is reached; give it the chance it must not get.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect([before.seen.answered, during.seen.answered]).toEqual([false, false]);
        await proxy.restore();
        await Promise.all([before.seen.closed, during.seen.closed]);
        expect([before.seen.answered, during.seen.answered]).toEqual([false, false]);
        expect((await roundTrip(proxy.port, chunks.slice(0, 3))).toString()).toBe(
          Buffer.concat(chunks.slice(0, 3)).toString(),
        );
      } finally {
        await proxy.close();
      }
    });
  }

  it('runs as a process of its own for benchmarks, and stops when closed', async () => {
    const line = await startDelayLine((echo.address() as AddressInfo).port, 5);
    try {
      expect((await roundTrip(line.port, chunks)).toString()).toBe(Buffer.concat(chunks).toString());
    } finally {
      await line.close();
    }
    await expect(roundTrip(line.port, chunks.slice(0, 1))).rejects.toThrow(/ECONNREFUSED/);
  });
});
