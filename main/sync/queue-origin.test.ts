import { describe, expect, it } from 'vitest';
import { SyncFailure } from './failure';
import { queueOriginSetting } from './queue-origin';
import { queueUrlVia } from './run';

const SAS = 'http://127.0.0.1:10001/devstoreaccount1/sales?sv=2025-07-05&si=branch-add&sig=abc%2Bdef%3D';

describe('reaching the queue through a gateway', () => {
  it('replaces only the origin: the account path and the signature stay as head office issued them', () => {
    expect(queueUrlVia(SAS, 'http://127.0.0.1:4305')).toBe(
      'http://127.0.0.1:4305/devstoreaccount1/sales?sv=2025-07-05&si=branch-add&sig=abc%2Bdef%3D',
    );
    expect(queueUrlVia(SAS, 'https://gw.example.com')).toBe(
      'https://gw.example.com/devstoreaccount1/sales?sv=2025-07-05&si=branch-add&sig=abc%2Bdef%3D',
    );
    expect(queueUrlVia(SAS, undefined)).toBe(SAS);
  });

  it('refuses an origin that is more than scheme, host and port, as a configuration failure', () => {
    for (const origin of ['http://gw/x', 'http://gw/?a=1', 'gw:80', 'ftp://gw', 'not a url']) {
      expect(() => queueUrlVia(SAS, origin), origin).toThrow(SyncFailure);
      try {
        queueUrlVia(SAS, origin);
      } catch (e) {
        expect((e as SyncFailure).kind).toBe('config');
      }
    }
  });

  it('comes from HAAT_QUEUE_ORIGIN when the process is given one', () => {
    expect(queueOriginSetting({ HAAT_QUEUE_ORIGIN: ' http://127.0.0.1:4305 ' })).toEqual({
      queueOrigin: 'http://127.0.0.1:4305',
    });
    expect(queueOriginSetting({ HAAT_QUEUE_ORIGIN: '' })).toEqual({});
    expect(queueOriginSetting({})).toEqual({});
  });
});
