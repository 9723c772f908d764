import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { problemFromIssues } from '../shared/wire/common';
import type { Problem } from '../shared/result';

/** An error the client caused; the handler answers it with its status and problem. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly problem: Problem,
    /** Headers the answer carries, such as Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem.reason);
  }
}

/** Parses with zod, or throws a 400 that names the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, prefix: string): z.infer<S> {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) throw new HttpError(400, problemFromIssues(parsed.error.issues, prefix));
  return parsed.data;
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const m = header ? /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header) : null;
  return m?.[1];
}

/** Tokens are 256 random bits: a plain SHA-256 is enough to store them. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function unauthorized(reason: string): HttpError {
  return new HttpError(401, { code: 'unauthorized', field: 'authorization', reason });
}

export function sendProblem(reply: FastifyReply, statusCode: number, problem: Problem) {
  return reply.status(statusCode).send({ error: problem });
}
