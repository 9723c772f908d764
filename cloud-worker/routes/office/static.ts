import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CONTENT_SECURITY_POLICY } from '../../../shared/content-security-policy';
import { sendProblem } from '../../http';

/** Where `npm run build:office` puts the head-office app. */
export const OFFICE_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../../dist/office');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built app at /office/. Any path that is not a file gets
 * index.html, so the app's own paths (/office/health) survive a reload.
 * Hashed assets are cached for a year; index.html never, so a new build is
 * picked up at once.
 */
export function officeStatic(app: FastifyInstance, dir = OFFICE_DIST) {
  const root = normalize(dir.endsWith(sep) ? dir : dir + sep);

  async function send(reply: FastifyReply, path: string) {
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) return sendProblem(reply, 404, { code: 'not-found', field: 'path', reason: path });
    let body: Buffer;
    let served = file;
    try {
      body = await readFile(file);
    } catch {
      served = join(root, 'index.html');
      try {
        body = await readFile(served);
      } catch {
        return sendProblem(reply, 503, {
          code: 'office-not-built',
          field: '(root)',
          reason: 'the head-office app is not built: run npm run build:office',
        });
      }
    }
    const isIndex = served.endsWith('index.html');
    return reply
      .header('content-type', TYPES[extname(served)] ?? 'application/octet-stream')
      .header('cache-control', isIndex ? 'no-store' : 'public, max-age=31536000, immutable')
      .send(body);
  }

  app.get('/office', { config: { access: 'public' } }, (_request, reply) => reply.redirect('/office/'));
  app.get('/office/', { config: { access: 'public' } }, (_request, reply) => send(reply, 'index.html'));
  app.get<{ Params: { '*': string } }>('/office/*', { config: { access: 'public' } }, (request, reply) =>
    send(reply, request.params['*'] || 'index.html'),
  );
}

/** Headers every answer carries: the app's CSP and the usual hardening. */
export function securityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
  });
}
