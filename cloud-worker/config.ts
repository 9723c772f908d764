import { z } from 'zod';
import { azuriteConnectionString } from './queue/azurite';

/**
 * Configuration from the environment. Locally everything has a default
 * (PGlite in .data/central, Azurite on its usual port); in production
 * DATABASE_URL names the database, and either AZURE_STORAGE_ACCOUNT_URL (a
 * managed identity signs in, no key anywhere) or
 * AZURE_STORAGE_CONNECTION_STRING (an account key) the storage account.
 */
const schema = z
  .object({
    DATABASE_URL: z.string().min(1).optional(),
    HAAT_PGLITE_DIR: z.string().min(1).default('.data/central'),
    AZURE_STORAGE_CONNECTION_STRING: z.string().min(1).optional(),
    /** The account's queue endpoint, e.g. https://haat.queue.core.windows.net: signs in with DefaultAzureCredential. */
    AZURE_STORAGE_ACCOUNT_URL: z
      .url({
        protocol: /^https$/,
        error: 'must be the https URL of the queue service, e.g. https://haat.queue.core.windows.net',
      })
      .refine((u) => !u.includes('?'), 'must not carry a query string or SAS: the identity signs every call')
      .optional(),
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
    /**
     * Set to true when the API sits behind a TLS-terminating proxy (Azure Front
     * Door, App Service): the client's address and https come from its
     * X-Forwarded-* headers, for the login throttle and the Secure cookie.
     */
    HAAT_TRUST_PROXY: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    HAAT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((c) => !(c.AZURE_STORAGE_CONNECTION_STRING && c.AZURE_STORAGE_ACCOUNT_URL), {
    path: ['AZURE_STORAGE_ACCOUNT_URL'],
    message:
      'set either AZURE_STORAGE_ACCOUNT_URL (managed identity) or AZURE_STORAGE_CONNECTION_STRING (key), not both',
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

/** How the worker and the API reach the storage account. */
export type StorageConfig =
  | { readonly kind: 'connection-string'; readonly connectionString: string }
  /** Microsoft Entra ID through DefaultAzureCredential: a managed identity in Azure, a developer's login elsewhere. */
  | { readonly kind: 'identity'; readonly accountUrl: string };

export function storageConfig(config: CloudConfig): StorageConfig {
  if (config.AZURE_STORAGE_ACCOUNT_URL) return { kind: 'identity', accountUrl: config.AZURE_STORAGE_ACCOUNT_URL };
  return {
    kind: 'connection-string',
    connectionString: config.AZURE_STORAGE_CONNECTION_STRING ?? azuriteConnectionString(10001),
  };
}
