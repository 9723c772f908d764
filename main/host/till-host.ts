import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { Result } from '../../shared/result';
import type { PosService } from '../api/pos-service';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';

/**
 * The till over HTTP, for a browser: `POST /api/<channel>` with the JSON
 * input, answered with the PosApi result; and the built cashier screens.
 * It binds to 127.0.0.1 unless told otherwise, refuses requests addressed to
 * another host name (DNS rebinding), and every call but signing in needs the
 * session token from `session:login` as `Authorization: Bearer <token>`.
 */
export interface TillHostOptions {
  readonly service: PosService;
  /** The built renderer (vite's outDir). */
  readonly staticDir?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
}

export interface TillHost {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function statusFor(result: Result<unknown>): number {
  if (result.ok) return 200;
  switch (result.error.code) {
    case 'not-signed-in':
      return 401;
    case 'unknown-channel':
      return 404;
    case 'invalid-field':
    case 'invalid-json':
      return 400;
    case 'internal-error':
      return 500;
    default:
      return 422;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolveBody(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function hostName(header: string | undefined): string {
  if (!header) return '';
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  return header.split(':')[0] ?? '';
}

export async function startTillHost(options: TillHostOptions): Promise<TillHost> {
  const bindHost = options.host ?? '127.0.0.1';
  const loopbackOnly = LOOPBACK.has(bindHost);
  const staticRoot = options.staticDir ? resolve(options.staticDir) : null;

  async function handleApi(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      sendJson(res, 415, { ok: false, error: { code: 'invalid-json', field: 'body', reason: 'Send JSON.' } });
      return;
    }
    const text = await readBody(req);
    if (text === null) {
      sendJson(res, 413, {
        ok: false,
        error: { code: 'too-large', field: 'body', reason: 'The request is too large.' },
      });
      return;
    }
    let input: unknown;
    try {
      input = text.length === 0 ? {} : JSON.parse(text);
    } catch {
      sendJson(res, 400, {
        ok: false,
        error: { code: 'invalid-json', field: 'body', reason: 'The body is not JSON.' },
      });
      return;
    }
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : null;
    const result = await options.service.call(channel, input, token);
    sendJson(res, statusFor(result), result);
  }

  function handleStatic(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!staticRoot || !existsSync(join(staticRoot, 'index.html'))) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        'The cashier screens are not built yet: run `npm run build:renderer`, or start the till with `npm run till`.\n',
      );
      return;
    }
    let file = resolve(staticRoot, `.${decodeURIComponent(path)}`);
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      res.writeHead(404).end();
      return;
    }
    // The screens are one page: any path that is not a file is that page.
    if (!existsSync(file) || !statSync(file).isFile()) file = join(staticRoot, 'index.html');
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'content-type': type,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  }

  const server = createServer((req, res) => {
    if (loopbackOnly && !LOOPBACK.has(hostName(req.headers.host))) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('This till answers only on localhost.\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://till.invalid');
    const api = /^\/api\/([a-zA-Z]+:[a-zA-Z]+)$/.exec(url.pathname);
    const work = api ? handleApi(req, res, api[1]!) : Promise.resolve(handleStatic(req, res, url.pathname));
    work.catch((e: unknown) => {
      console.error('till host request failed', e);
      if (!res.headersSent)
        sendJson(res, 500, {
          ok: false,
          error: { code: 'internal-error', field: '', reason: 'The till failed to answer.' },
        });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((ready, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => ready());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  return {
    url: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((done, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : done()));
      }),
  };
}
