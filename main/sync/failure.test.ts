import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { classifyError, SyncFailure } from './failure';

describe('classifyError', () => {
  it('recognises a refused connection from a real fetch as no network', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    const error = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    const failure = classifyError(error);
    expect(failure.kind).toBe('offline');
    expect(failure.retryable).toBe(true);
    expect(failure.message).toMatch(/No connection to head office/);
  });

  it('recognises a timeout as no network', async () => {
    const error = await fetch('http://10.255.255.1/', { signal: AbortSignal.timeout(1) }).catch((e: unknown) => e);
    expect(classifyError(error).kind).toBe('offline');
  });

  it.each([
    [401, 'auth', false],
    [403, 'auth', false],
    [429, 'throttled', true],
    [503, 'throttled', true],
    [500, 'server', true],
    [404, 'config', false],
  ] as const)('maps HTTP %s to %s', (statusCode, kind, retryable) => {
    const f = classifyError(Object.assign(new Error('x'), { statusCode }));
    expect([f.kind, f.retryable]).toEqual([kind, retryable]);
  });

  it('keeps a classified failure as it is', () => {
    const f = new SyncFailure('config', 'no bundle');
    expect(classifyError(f)).toBe(f);
  });
});

describe('backoffDelay', () => {
  it('is full jitter under an exponential, capped ceiling', () => {
    const policy = { baseMs: 1000, capMs: 60_000 };
    expect(backoffDelay(0, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(4000);
    expect(backoffDelay(20, policy, () => 0.999)).toBe(59_940);
    expect(backoffDelay(5, policy, () => 0)).toBe(0);
  });
});
