import { z } from 'zod';
import { azuriteConnectionString } from './queue/azurite';

/**
 * Configuration from the environment. Locally everything has a default
 * (PGlite in .data/central, Azurite on its usual port); in production
 * DATABASE_URL and AZURE_STORAGE_CONNECTION_STRING name the real services.
 */
const schema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  HAAT_PGLITE_DIR: z.string().min(1).default('.data/central'),
  AZURE_STORAGE_CONNECTION_STRING: z.string().min(1).default(azuriteConnectionString(10001)),
  HAAT_QUEUE: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,55}$/, 'must be a valid queue name of at most 56 characters')
    .default('sales'),
  HAAT_VISIBILITY_TIMEOUT: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(300),
  /** Receives a worker process keeps in flight at once. */
  HAAT_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** Worker threads that open messages (0: on the main thread). */
  HAAT_DECODE_THREADS: z.coerce.number().int().min(0).max(16).default(0),
  HAAT_MAX_IDLE_MS: z.coerce.number().int().min(10).default(15_000),
  HAAT_API_HOST: z.string().default('127.0.0.1'),
  HAAT_API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** The URL tills are told to pull from, written into provisioning bundles. */
  HAAT_PUBLIC_API_URL: z.url().optional(),
  HAAT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type CloudConfig = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CloudConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

export function databaseConfig(config: CloudConfig) {
  return { databaseUrl: config.DATABASE_URL, pgliteDir: config.HAAT_PGLITE_DIR };
}
