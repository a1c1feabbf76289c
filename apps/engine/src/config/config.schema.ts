import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Every setting the engine reads, validated once at boot. Nothing else reads process.env. */
export const configSchema = z.object({
  KELPIE_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/kelpie'),
  /** Docker/Kubernetes secret file holding the database password, kept out of the URL and the env. */
  KELPIE_DATABASE_PASSWORD_FILE: z.string().optional(),
  /** Postgres connections of one engine: the report consumer alone runs 16 handlers at once, and the
   * API must not queue behind them for a connection (pg's default is 10). */
  KELPIE_DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(24),
  KELPIE_REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  KELPIE_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." or "-" only')
    .default('kelpie'),
  KELPIE_HTTP_HOST: z.string().default('127.0.0.1'),
  KELPIE_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  KELPIE_WEB_DIR: z.string().optional(),
  KELPIE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KELPIE_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600000).default(15000),
  /** Lifetime of a console ticket (and of the one-time VNC password behind it); at most 60 s. */
  KELPIE_CONSOLE_TICKET_TTL_MS: z.coerce.number().int().min(1000).max(60000).default(60000),
  /** Taking a snapshot past this many per VM still works but warns (task message + audit event). */
  KELPIE_SNAPSHOT_WARN_COUNT: z.coerce.number().int().min(1).max(10000).default(10),
  /** Live migrations a host may send / receive at the same time (issue 6). */
  KELPIE_MIGRATION_MAX_OUTGOING: z.coerce.number().int().min(1).max(64).default(2),
  KELPIE_MIGRATION_MAX_INCOMING: z.coerce.number().int().min(1).max(64).default(2),
  KELPIE_MIGRATIONS_RUN: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  // ---- Bounded resources (0 days = keep forever) ----
  KELPIE_RETENTION_EVENTS_DAYS: z.coerce.number().min(0).max(36500).default(90),
  KELPIE_RETENTION_TASKS_DAYS: z.coerce.number().min(0).max(36500).default(30),
  KELPIE_RETENTION_MIGRATIONS_DAYS: z.coerce.number().min(0).max(36500).default(30),
  KELPIE_RETENTION_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
  /** Rows deleted per statement: keeps each delete's locks and WAL burst small. */
  KELPIE_RETENTION_BATCH: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Live-stream connections one client (X-Kelpie-User, else its address) may hold on one engine. */
  KELPIE_STREAM_MAX_PER_CLIENT: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Bytes waiting to be written to one stream client before it is told to resync and dropped. */
  KELPIE_STREAM_MAX_BACKLOG_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1 << 30)
    .default(4 << 20),
  /** API requests per client address per window (0 = no limit). Generous: a portal makes a few a second. */
  KELPIE_RATE_LIMIT_REQUESTS: z.coerce.number().int().min(0).max(10_000_000).default(5000),
  KELPIE_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /** Garbage collector of orphan volumes/domains: how often (0 = never) and how old an orphan must be. */
  KELPIE_GC_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(900_000),
  KELPIE_GC_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400_000)
    .default(3_600_000),
});

export interface RetentionConfig {
  eventsDays: number;
  tasksDays: number;
  migrationsDays: number;
  intervalMs: number;
  batch: number;
}

export type EngineConfig = {
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  redisPrefix: string;
  httpHost: string;
  httpPort: number;
  webDir?: string;
  logLevel: z.infer<typeof configSchema>['KELPIE_LOG_LEVEL'];
  heartbeatTimeoutMs: number;
  consoleTicketTtlMs: number;
  snapshotWarnCount: number;
  migrationsRun: boolean;
  migrationMaxOutgoing: number;
  migrationMaxIncoming: number;
  retention: RetentionConfig;
  streamMaxPerClient: number;
  streamMaxBacklogBytes: number;
  rateLimit: { requests: number; windowMs: number };
  gc: { intervalMs: number; graceMs: number };
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid engine configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    databaseUrl: withPasswordFrom(c.KELPIE_DATABASE_URL, c.KELPIE_DATABASE_PASSWORD_FILE),
    databasePoolSize: c.KELPIE_DATABASE_POOL_SIZE,
    redisUrl: c.KELPIE_REDIS_URL,
    redisPrefix: c.KELPIE_REDIS_PREFIX,
    httpHost: c.KELPIE_HTTP_HOST,
    httpPort: c.KELPIE_HTTP_PORT,
    webDir: c.KELPIE_WEB_DIR,
    logLevel: c.KELPIE_LOG_LEVEL,
    heartbeatTimeoutMs: c.KELPIE_HEARTBEAT_TIMEOUT_MS,
    consoleTicketTtlMs: c.KELPIE_CONSOLE_TICKET_TTL_MS,
    snapshotWarnCount: c.KELPIE_SNAPSHOT_WARN_COUNT,
    migrationsRun: c.KELPIE_MIGRATIONS_RUN,
    migrationMaxOutgoing: c.KELPIE_MIGRATION_MAX_OUTGOING,
    migrationMaxIncoming: c.KELPIE_MIGRATION_MAX_INCOMING,
    retention: {
      eventsDays: c.KELPIE_RETENTION_EVENTS_DAYS,
      tasksDays: c.KELPIE_RETENTION_TASKS_DAYS,
      migrationsDays: c.KELPIE_RETENTION_MIGRATIONS_DAYS,
      intervalMs: c.KELPIE_RETENTION_INTERVAL_MS,
      batch: c.KELPIE_RETENTION_BATCH,
    },
    streamMaxPerClient: c.KELPIE_STREAM_MAX_PER_CLIENT,
    streamMaxBacklogBytes: c.KELPIE_STREAM_MAX_BACKLOG_BYTES,
    rateLimit: { requests: c.KELPIE_RATE_LIMIT_REQUESTS, windowMs: c.KELPIE_RATE_LIMIT_WINDOW_MS },
    gc: { intervalMs: c.KELPIE_GC_INTERVAL_MS, graceMs: c.KELPIE_GC_GRACE_MS },
  };
}

function withPasswordFrom(url: string, passwordFile: string | undefined): string {
  if (!passwordFile) return url;
  let password: string;
  try {
    password = readFileSync(passwordFile, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(
      `invalid engine configuration:\n  KELPIE_DATABASE_PASSWORD_FILE: ${(err as Error).message}`,
    );
  }
  const u = new URL(url);
  u.password = password;
  return u.toString();
}
