import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { PROVISIONING_TYPE } from '../../shared/wire/provisioning';
import { openTill } from '../open-till';
import { provisionTill, tillPaths } from '../sync/provision';
import { seedShop } from './fixtures';

/**
 * Installs till DHK01-2 in `dir` from a bundle shaped as head office issues
 * it, pointing at `apiUrl`, with the demo shop's catalog and staff as a
 * first pull would bring them, so that a cashier can sign in. For tests of
 * how a till runs its sync where the central side itself is not the subject.
 */
export function provisionTestTill(dir: string, apiUrl: string): void {
  const { privateKey } = generateKeyPairSync('ed25519');
  provisionTill(
    dir,
    JSON.stringify({
      type: PROVISIONING_TYPE,
      v: 1,
      branch: 'DHK01',
      till: 2,
      keyId: 'k-test',
      signingKey: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
      apiUrl,
      pullToken: randomBytes(24).toString('base64url'),
      issuedAt: Date.now(),
    }),
  );
  const till = openTill(tillPaths(dir).db);
  try {
    seedShop(till);
  } finally {
    till.store.close();
  }
}

/** An address where nothing listens: head office out of reach. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return `http://127.0.0.1:${port}`;
}
