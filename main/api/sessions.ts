import { randomBytes } from 'node:crypto';
import type { Staff } from '../store/staff';

/**
 * Signed-in staff by opaque token. Tokens live only in this process: a
 * restart of the till signs everyone out, which is what a shared counter
 * wants. Idle sessions end after `idleMs`.
 */
export interface Sessions {
  create(staff: Staff): string;
  get(token: string | null | undefined): Staff | undefined;
  drop(token: string | null | undefined): void;
}

export function createSessions(now: () => number, idleMs = 12 * 60 * 60_000): Sessions {
  const byToken = new Map<string, { staff: Staff; lastSeen: number }>();
  return {
    create(staff) {
      const token = randomBytes(24).toString('base64url');
      byToken.set(token, { staff, lastSeen: now() });
      return token;
    },
    get(token) {
      if (!token) return undefined;
      const s = byToken.get(token);
      if (!s) return undefined;
      if (now() - s.lastSeen > idleMs) {
        byToken.delete(token);
        return undefined;
      }
      s.lastSeen = now();
      return s.staff;
    },
    drop(token) {
      if (token) byToken.delete(token);
    },
  };
}
