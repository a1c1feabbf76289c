import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_TOKEN_PATTERN, RedisUrl } from '@kelpie/shared-types';
import { z } from 'zod';
import {
  GroupRoleMapping,
  isLoopbackUrl,
  OidcConfig,
  parseGroupRoles,
  Secret,
  secretFileProblem,
} from './oidc';

export const FENCE_PROXY_KINDS = ['cluster', 'dc', 'engine'] as const;
export type FenceProxyKind = (typeof FENCE_PROXY_KINDS)[number];

/** An empty variable (`KELPIE_X=` in a compose file) means "not set". */
/** The first administrator's password, from the environment or a file. */
const ADMIN_PASSWORD_MIN = 12;

const unsetWhenEmpty = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Every setting the engine reads, validated once at boot. Nothing else reads process.env. */
export const configSchema = z
  .object({
    KELPIE_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/kelpie'),
    /** Docker/Kubernetes secret file holding the database password, kept out of the URL and the env. */
    KELPIE_DATABASE_PASSWORD_FILE: z.string().optional(),
    /** Postgres connections of one engine: the report consumer alone runs 16 handlers at once, and the
     * API must not queue behind them for a connection (pg's default is 10). */
    KELPIE_DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(24),
    /** One server (redis://host:port) or a Sentinel group (redis-sentinel://s1,s2,s3/<master>). */
    KELPIE_REDIS_URL: RedisUrl.default('redis://127.0.0.1:6379'),
    KELPIE_REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." or "-" only')
      .default('kelpie'),
    KELPIE_HTTP_HOST: z.string().default('127.0.0.1'),
    KELPIE_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    KELPIE_WEB_DIR: z.string().optional(),
    KELPIE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    KELPIE_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600000).default(15000),
    // ---- Fencing and HA restart ----
    /** No fencing in this long after the engine starts: it must first hear the hosts itself (at least
     * one heartbeat timeout, checked below). */
    KELPIE_FENCE_STARTUP_GRACE_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
    /** More than this share of a cluster's hosts unreachable at once: the engine is the one cut off. */
    KELPIE_FENCE_MAX_UNREACHABLE_PERCENT: z.coerce.number().int().min(0).max(100).default(50),
    /** At most this many fence calls per cluster per window (a storm of fencing is a bug or an outage). */
    KELPIE_FENCE_MAX_PER_CLUSTER: z.coerce.number().int().min(1).max(1000).default(2),
    KELPIE_FENCE_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
    /** After a soft fence (agent restarted over SSH) this long for the host to answer again before
     * hard fencing through its BMC. */
    KELPIE_FENCE_SOFT_GRACE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
    /** A host's lease records unchanged for longer than this (seen by another host) = it no longer
     * writes to the shared storage: well above the renewer's interval (2 s) plus the agents' storage
     * check interval, so a slow NFS write is not taken for a dead host (ADR 0037). */
    KELPIE_FENCE_LEASE_TIMEOUT_MS: z.coerce.number().int().min(5000).max(600_000).default(60_000),
    /** Who runs a host's fence agent, tried in this order (oVirt's proxy preference): `cluster` an Up
     * host of its cluster, `dc` an Up host of its datacenter, `engine` the engine itself. Without
     * `engine` the engine never calls a BMC itself (its network need not reach the BMCs). */
    KELPIE_FENCE_PROXY_PREFERENCE: z
      .string()
      .default('cluster,dc,engine')
      .transform((v) => v.split(',').map((n) => n.trim()))
      .refine(
        (kinds) =>
          kinds.length > 0 &&
          new Set(kinds).size === kinds.length &&
          kinds.every((k) => (FENCE_PROXY_KINDS as readonly string[]).includes(k)),
        { message: `comma-separated, each once: ${FENCE_PROXY_KINDS.join(', ')}` },
      )
      .transform((kinds) => kinds as FenceProxyKind[]),
    /** An HA VM whose QEMU crashed on a healthy host is restarted there at most this many times per
     * window, each wait twice the previous (first at once), then left down. */
    KELPIE_HA_CRASH_RESTARTS: z.coerce.number().int().min(0).max(100).default(3),
    KELPIE_HA_CRASH_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
    KELPIE_HA_CRASH_BACKOFF_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
    /** Lifetime of a console ticket (and of the one-time VNC password behind it); at most 60 s. */
    KELPIE_CONSOLE_TICKET_TTL_MS: z.coerce.number().int().min(1000).max(60000).default(60000),
    /** Taking a snapshot past this many per VM still works but warns (task message + audit event). */
    KELPIE_SNAPSHOT_WARN_COUNT: z.coerce.number().int().min(1).max(10000).default(10),
    /** Shortest gap a recurring schedule's cron expression may leave between two runs. */
    KELPIE_SCHEDULE_MIN_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
    /** Live migrations a host may send / receive at the same time. */
    KELPIE_MIGRATION_MAX_OUTGOING: z.coerce.number().int().min(1).max(64).default(2),
    KELPIE_MIGRATION_MAX_INCOMING: z.coerce.number().int().min(1).max(64).default(2),
    /** An engine is taken for dead (and its tasks adopted) once its liveness key is this old. */
    KELPIE_ENGINE_LIVENESS_TTL_MS: z.coerce.number().int().min(2000).max(600000).default(30000),
    /** Crash tests only: `taskType:phase` pairs (comma-separated) at which a task stops for good right
     * after writing that checkpoint, so the test can kill the engine at a known step. Empty in production. */
    KELPIE_TEST_FAILPOINTS: z.string().max(1000).default(''),
    KELPIE_MIGRATIONS_RUN: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    // ---- Bounded resources (0 days = keep forever) ----
    KELPIE_RETENTION_EVENTS_DAYS: z.coerce.number().min(0).max(36500).default(90),
    KELPIE_RETENTION_TASKS_DAYS: z.coerce.number().min(0).max(36500).default(30),
    KELPIE_RETENTION_MIGRATIONS_DAYS: z.coerce.number().min(0).max(36500).default(30),
    KELPIE_RETENTION_SCHEDULE_RUNS_DAYS: z.coerce.number().min(0).max(36500).default(90),
    KELPIE_RETENTION_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
    /** Rows deleted per statement: keeps each delete's locks and WAL burst small. */
    KELPIE_RETENTION_BATCH: z.coerce.number().int().min(1).max(100_000).default(1000),
    /** Live-stream connections one user may hold, across all engines. */
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
    // ---- Metrics ----
    /** A bearer token Prometheus scrapes `GET /api/v1/metrics` with (it grants nothing else); an API
     * token whose user holds `metrics.read` works too. Unset: only API tokens. */
    KELPIE_METRICS_TOKEN: unsetWhenEmpty(
      z
        .string()
        .min(32, 'at least 32 characters')
        .max(256)
        .regex(/^[A-Za-z0-9._~+/=-]+$/, 'letters, digits and . _ ~ + / = - only'),
    ),
    KELPIE_METRICS_TOKEN_FILE: z.string().optional(),
    /** The port enrolled agents serve their metrics on, on the host's management address (0: the
     * agent's default, loopback only). The figures name VMs, so it needs the token below. */
    KELPIE_AGENT_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    /** File holding the bearer token enrolled agents require on their metrics endpoint. */
    KELPIE_AGENT_METRICS_TOKEN_FILE: z.string().optional(),
    KELPIE_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
    /** Garbage collector of orphan volumes/domains: how often (0 = never) and how old an orphan must be. */
    KELPIE_GC_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(900_000),
    /** Periodic balancing of clusters that enabled it: how often a run plans and starts a batch (0 =
     * never), at most how many migrations per cluster per run, and how long a moved VM is left alone. */
    KELPIE_BALANCE_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
    KELPIE_BALANCE_BATCH: z.coerce.number().int().min(1).max(64).default(2),
    KELPIE_BALANCE_COOLDOWN_MS: z.coerce.number().int().min(0).max(604_800_000).default(1_800_000),
    /** The Redis URL as the hosts reach it (the engine's own may be 127.0.0.1); default KELPIE_REDIS_URL. */
    KELPIE_AGENT_REDIS_URL: RedisUrl.optional(),
    /** The agent bundle enrollment installs on hosts (apps/agent/bundle, made by the agent's build). */
    KELPIE_AGENT_BUNDLE_DIR: z.string().default(join(__dirname, '..', '..', '..', 'agent', 'bundle')),
    /** The engine's Ed25519 command-signing key (PKCS#8 PEM), created (mode 0600, directory 0700) at
     * first boot when absent. Every engine of a deployment must be given the same file (a mounted
     * secret or volume): agents run only the commands it signed. */
    KELPIE_COMMAND_KEY_FILE: z
      .string()
      .regex(/^\/[^\0]*$/, 'absolute path')
      .default('/var/lib/kelpie-engine/command-signing-key.pem'),
    /** The engine's certificate authority (ECDSA key + self-signed CA certificate, PEM, one file),
     * created (mode 0600) at first boot when absent and checked at every boot. Shared by every engine
     * of a deployment like the command-signing key: hosts trust only certificates it signed. */
    KELPIE_CA_FILE: z
      .string()
      .regex(/^\/[^\0]*$/, 'absolute path')
      .default('/var/lib/kelpie-engine/engine-ca.pem'),
    /** The engine's AES-256 key (base64) for the secrets it must use again (BMC passwords), created
     * (0600) at first boot when absent; every engine of a deployment must be given the same file. */
    KELPIE_SECRET_KEY_FILE: z
      .string()
      .regex(/^\/[^\0]*$/, 'absolute path')
      .default('/var/lib/kelpie-engine/secret-key'),
    /** The engine's SSH key (ECDSA P-256, PEM), created (0600) at first boot when absent. Enrollment
     * puts its public half in each host's root authorized_keys restricted to the soft-fence script;
     * every engine of a deployment must be given the same file. */
    KELPIE_SSH_KEY_FILE: z
      .string()
      .regex(/^\/[^\0]*$/, 'absolute path')
      .default('/var/lib/kelpie-engine/engine-ssh-key.pem'),
    /** Where the engine keeps the portal web server's TLS certificate, issued from its CA at boot when
     * missing or within 30 days of expiry (one PEM file with the chain and the key, mode 0640). Unset:
     * the admin supplies the web server's certificate. */
    KELPIE_WEB_TLS_DIR: z
      .string()
      .regex(/^\/[^\0]*$/, 'absolute path')
      .optional(),
    /** The names (DNS or IP) browsers use for the portal, comma separated: the certificate's SANs. */
    KELPIE_WEB_TLS_NAMES: z
      .string()
      .default('localhost')
      .transform((v) =>
        v
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean),
      )
      .refine((names) => names.length > 0 && names.every((n) => /^[A-Za-z0-9.:*-]{1,253}$/.test(n)), {
        message: 'comma-separated DNS names or IP addresses',
      }),
    /** How long an enrollment waits for the installed agent's first heartbeat. */
    KELPIE_ENROLL_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
    KELPIE_GC_GRACE_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(30 * 86_400_000)
      .default(3_600_000),
    // ---- Identity and access ----
    /** The first administrator, created when the engine finds no user at all. */
    KELPIE_ADMIN_USER: z
      .string()
      .regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'letters, digits, "_", ".", "@" or "-" only')
      .default('admin'),
    /** Its password (or a file holding it); never defaulted: without one the admin can only use the token. */
    KELPIE_ADMIN_PASSWORD: unsetWhenEmpty(
      z.string().min(ADMIN_PASSWORD_MIN, `at least ${ADMIN_PASSWORD_MIN} characters`).max(1024),
    ),
    KELPIE_ADMIN_PASSWORD_FILE: z.string().optional(),
    /** An API token (`kelpie_<32 hex>_<43 base64url>`) the engine gives the admin at boot: for scripts,
     * the dev stack and the tests. Stored hashed like any token. */
    KELPIE_BOOTSTRAP_TOKEN: unsetWhenEmpty(
      z.string().regex(API_TOKEN_PATTERN, 'kelpie_<32 hex digits>_<43 base64url characters>'),
    ),
    KELPIE_SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(30),
    KELPIE_SESSION_MAX_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 24)
      .default(12),
    /** Failed logins before a username is locked out, and how long (each new failure restarts it). */
    KELPIE_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    /** Failed logins from one address (any usernames) before it is locked out too. */
    KELPIE_LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100000).default(50),
    KELPIE_LOGIN_LOCKOUT_MS: z.coerce.number().int().min(1000).max(86_400_000).default(900_000),
    /** Other origins allowed to send state-changing requests and open WebSockets (e.g. the portal's dev
     * server), comma-separated `scheme://host[:port]`. The engine's own origin is always allowed. */
    KELPIE_ALLOWED_ORIGINS: z.string().max(4000).default(''),
    /** Reverse proxies whose X-Forwarded-Proto/-For are believed (Express "trust proxy": `loopback`,
     * `uniquelocal`, addresses or CIDRs, comma-separated). Empty: none. */
    KELPIE_TRUST_PROXY: z
      .string()
      .regex(/^[A-Za-z0-9.:/, ]*$/, 'names (loopback, uniquelocal), addresses or CIDRs, comma-separated')
      .default(''),
    // ---- OpenID Connect login (off unless KELPIE_OIDC_ISSUER is set) ----
    KELPIE_OIDC_ISSUER: unsetWhenEmpty(
      z
        .string()
        .url()
        .refine(
          (u) => u.startsWith('https://') || isLoopbackUrl(new URL(u)),
          'https (http only for localhost)',
        ),
    ),
    KELPIE_OIDC_CLIENT_ID: unsetWhenEmpty(z.string().min(1).max(256)),
    /** The client secret, read from this file (mode 0600); never from the environment. */
    KELPIE_OIDC_CLIENT_SECRET_FILE: unsetWhenEmpty(z.string().regex(/^\/[^\0]*$/, 'absolute path')),
    /** Where the provider sends the browser back: this engine's `/api/v1/auth/oidc/callback`, as the
     * browser reaches it (registered at the provider as is). */
    KELPIE_OIDC_REDIRECT_URI: unsetWhenEmpty(z.string().url()),
    KELPIE_OIDC_SCOPES: z
      .string()
      .regex(/^[\x21-\x7e ]{1,512}$/, 'space-separated scopes')
      .default('openid profile email'),
    KELPIE_OIDC_GROUPS_CLAIM: z.string().min(1).max(128).default('groups'),
    KELPIE_OIDC_USERNAME_CLAIM: z.string().min(1).max(128).default('preferred_username'),
    KELPIE_OIDC_PROVIDER_NAME: unsetWhenEmpty(z.string().min(1).max(64)),
    /** `group=Role[@type:id]; ...`: the provider's groups whose members get a role (see config/oidc.ts). */
    KELPIE_OIDC_GROUP_ROLES: z.string().max(8000).default(''),
  })
  .superRefine((c, ctx) => {
    if (c.KELPIE_OIDC_ISSUER) {
      for (const key of [
        'KELPIE_OIDC_CLIENT_ID',
        'KELPIE_OIDC_CLIENT_SECRET_FILE',
        'KELPIE_OIDC_REDIRECT_URI',
      ] as const)
        if (!c[key])
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [key],
            message: 'required when KELPIE_OIDC_ISSUER is set',
          });
    }
    const mapping = parseGroupRoles(c.KELPIE_OIDC_GROUP_ROLES);
    if (typeof mapping === 'string')
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['KELPIE_OIDC_GROUP_ROLES'], message: mapping });
    if (
      c.KELPIE_FENCE_STARTUP_GRACE_MS !== undefined &&
      c.KELPIE_FENCE_STARTUP_GRACE_MS < c.KELPIE_HEARTBEAT_TIMEOUT_MS
    )
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['KELPIE_FENCE_STARTUP_GRACE_MS'],
        message: `must be at least KELPIE_HEARTBEAT_TIMEOUT_MS (${c.KELPIE_HEARTBEAT_TIMEOUT_MS}): an engine must have had the time to hear a host before it may fence it`,
      });
  });

export interface RetentionConfig {
  eventsDays: number;
  tasksDays: number;
  migrationsDays: number;
  scheduleRunsDays: number;
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
  fencing: FencingConfig;
  consoleTicketTtlMs: number;
  snapshotWarnCount: number;
  scheduleMinIntervalSeconds: number;
  migrationsRun: boolean;
  migrationMaxOutgoing: number;
  migrationMaxIncoming: number;
  retention: RetentionConfig;
  streamMaxPerClient: number;
  streamMaxBacklogBytes: number;
  rateLimit: { requests: number; windowMs: number };
  gc: { intervalMs: number; graceMs: number };
  balancing: { intervalMs: number; batch: number; cooldownMs: number };
  engineLivenessTtlMs: number;
  testFailpoints: string[];
  agentRedisUrl: string;
  agentBundleDir: string;
  commandKeyFile: string;
  caFile: string;
  secretKeyFile: string;
  sshKeyFile: string;
  /** The portal's TLS certificate issued by the engine, when the engine provides it. */
  webTls?: { dir: string; names: string[] };
  enrollHeartbeatTimeoutMs: number;
  /** The dedicated scrape token of the metrics endpoint, if any. */
  metricsToken?: string;
  /** What enrollment configures on each agent's metrics endpoint (absent: the agent's defaults). */
  agentMetrics?: { port: number; token: string };
  auth: AuthConfig;
  /** Absent: OpenID Connect login is off. */
  oidc?: OidcConfig;
};

export interface FencingConfig {
  startupGraceMs: number;
  maxUnreachablePercent: number;
  maxPerCluster: number;
  windowMs: number;
  softGraceMs: number;
  leaseTimeoutMs: number;
  crashRestarts: number;
  crashWindowMs: number;
  crashBackoffMs: number;
  proxyPreference: FenceProxyKind[];
}

export interface AuthConfig {
  adminUser: string;
  adminPassword?: string;
  bootstrapToken?: string;
  sessionIdleMs: number;
  sessionMaxMs: number;
  loginMaxFailures: number;
  loginMaxFailuresPerAddress: number;
  loginLockoutMs: number;
  allowedOrigins: string[];
  trustProxy: string[];
}

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
    fencing: {
      // Unset: 5 minutes, or one heartbeat timeout when that is longer.
      startupGraceMs: c.KELPIE_FENCE_STARTUP_GRACE_MS ?? Math.max(300_000, c.KELPIE_HEARTBEAT_TIMEOUT_MS),
      maxUnreachablePercent: c.KELPIE_FENCE_MAX_UNREACHABLE_PERCENT,
      maxPerCluster: c.KELPIE_FENCE_MAX_PER_CLUSTER,
      windowMs: c.KELPIE_FENCE_WINDOW_MS,
      softGraceMs: c.KELPIE_FENCE_SOFT_GRACE_MS,
      leaseTimeoutMs: c.KELPIE_FENCE_LEASE_TIMEOUT_MS,
      crashRestarts: c.KELPIE_HA_CRASH_RESTARTS,
      crashWindowMs: c.KELPIE_HA_CRASH_WINDOW_MS,
      crashBackoffMs: c.KELPIE_HA_CRASH_BACKOFF_MS,
      proxyPreference: c.KELPIE_FENCE_PROXY_PREFERENCE,
    },
    consoleTicketTtlMs: c.KELPIE_CONSOLE_TICKET_TTL_MS,
    snapshotWarnCount: c.KELPIE_SNAPSHOT_WARN_COUNT,
    scheduleMinIntervalSeconds: c.KELPIE_SCHEDULE_MIN_INTERVAL_SECONDS,
    migrationsRun: c.KELPIE_MIGRATIONS_RUN,
    migrationMaxOutgoing: c.KELPIE_MIGRATION_MAX_OUTGOING,
    migrationMaxIncoming: c.KELPIE_MIGRATION_MAX_INCOMING,
    retention: {
      eventsDays: c.KELPIE_RETENTION_EVENTS_DAYS,
      tasksDays: c.KELPIE_RETENTION_TASKS_DAYS,
      migrationsDays: c.KELPIE_RETENTION_MIGRATIONS_DAYS,
      scheduleRunsDays: c.KELPIE_RETENTION_SCHEDULE_RUNS_DAYS,
      intervalMs: c.KELPIE_RETENTION_INTERVAL_MS,
      batch: c.KELPIE_RETENTION_BATCH,
    },
    streamMaxPerClient: c.KELPIE_STREAM_MAX_PER_CLIENT,
    streamMaxBacklogBytes: c.KELPIE_STREAM_MAX_BACKLOG_BYTES,
    rateLimit: { requests: c.KELPIE_RATE_LIMIT_REQUESTS, windowMs: c.KELPIE_RATE_LIMIT_WINDOW_MS },
    gc: { intervalMs: c.KELPIE_GC_INTERVAL_MS, graceMs: c.KELPIE_GC_GRACE_MS },
    balancing: {
      intervalMs: c.KELPIE_BALANCE_INTERVAL_MS,
      batch: c.KELPIE_BALANCE_BATCH,
      cooldownMs: c.KELPIE_BALANCE_COOLDOWN_MS,
    },
    engineLivenessTtlMs: c.KELPIE_ENGINE_LIVENESS_TTL_MS,
    agentRedisUrl: c.KELPIE_AGENT_REDIS_URL ?? c.KELPIE_REDIS_URL,
    agentBundleDir: c.KELPIE_AGENT_BUNDLE_DIR,
    commandKeyFile: c.KELPIE_COMMAND_KEY_FILE,
    caFile: c.KELPIE_CA_FILE,
    secretKeyFile: c.KELPIE_SECRET_KEY_FILE,
    sshKeyFile: c.KELPIE_SSH_KEY_FILE,
    ...(c.KELPIE_WEB_TLS_DIR ? { webTls: { dir: c.KELPIE_WEB_TLS_DIR, names: c.KELPIE_WEB_TLS_NAMES } } : {}),
    enrollHeartbeatTimeoutMs: c.KELPIE_ENROLL_HEARTBEAT_TIMEOUT_MS,
    ...metricsTokenOf(c.KELPIE_METRICS_TOKEN, c.KELPIE_METRICS_TOKEN_FILE),
    ...agentMetricsOf(c.KELPIE_AGENT_METRICS_PORT, c.KELPIE_AGENT_METRICS_TOKEN_FILE),
    testFailpoints: c.KELPIE_TEST_FAILPOINTS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    auth: {
      adminUser: c.KELPIE_ADMIN_USER,
      adminPassword: c.KELPIE_ADMIN_PASSWORD_FILE
        ? adminPasswordFrom(c.KELPIE_ADMIN_PASSWORD_FILE)
        : c.KELPIE_ADMIN_PASSWORD,
      bootstrapToken: c.KELPIE_BOOTSTRAP_TOKEN,
      sessionIdleMs: c.KELPIE_SESSION_IDLE_MINUTES * 60_000,
      sessionMaxMs: c.KELPIE_SESSION_MAX_HOURS * 3_600_000,
      loginMaxFailures: c.KELPIE_LOGIN_MAX_FAILURES,
      loginMaxFailuresPerAddress: c.KELPIE_LOGIN_MAX_FAILURES_PER_ADDRESS,
      loginLockoutMs: c.KELPIE_LOGIN_LOCKOUT_MS,
      allowedOrigins: c.KELPIE_ALLOWED_ORIGINS.split(',')
        .map((s) => s.trim().replace(/\/$/, ''))
        .filter(Boolean),
      trustProxy: c.KELPIE_TRUST_PROXY.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    },
    ...oidcOf(c),
  };
}

function oidcOf(c: z.infer<typeof configSchema>): { oidc?: OidcConfig } {
  if (!c.KELPIE_OIDC_ISSUER) return {};
  const file = c.KELPIE_OIDC_CLIENT_SECRET_FILE!;
  const problem = secretFileProblem(file);
  if (problem)
    throw new ConfigError(`invalid engine configuration:\n  KELPIE_OIDC_CLIENT_SECRET_FILE: ${problem}`);
  const secret = readSecret('KELPIE_OIDC_CLIENT_SECRET_FILE', file);
  if (!secret)
    throw new ConfigError('invalid engine configuration:\n  KELPIE_OIDC_CLIENT_SECRET_FILE: empty file');
  return {
    oidc: {
      issuer: c.KELPIE_OIDC_ISSUER,
      clientId: c.KELPIE_OIDC_CLIENT_ID!,
      clientSecret: new Secret(secret),
      redirectUri: c.KELPIE_OIDC_REDIRECT_URI!,
      scopes: c.KELPIE_OIDC_SCOPES,
      groupsClaim: c.KELPIE_OIDC_GROUPS_CLAIM,
      usernameClaim: c.KELPIE_OIDC_USERNAME_CLAIM,
      providerName: c.KELPIE_OIDC_PROVIDER_NAME ?? new URL(c.KELPIE_OIDC_ISSUER).hostname,
      groupRoles: parseGroupRoles(c.KELPIE_OIDC_GROUP_ROLES) as GroupRoleMapping[],
    },
  };
}

/** The token from the variable or its file; a file's content is validated like the variable. */
function metricsTokenOf(value?: string, file?: string): { metricsToken?: string } {
  if (!file) return value ? { metricsToken: value } : {};
  const token = readSecret('KELPIE_METRICS_TOKEN_FILE', file);
  const checked = configSchema.shape.KELPIE_METRICS_TOKEN.safeParse(token);
  if (!checked.success || !token)
    throw new ConfigError(
      `invalid engine configuration:\n  KELPIE_METRICS_TOKEN_FILE: ${checked.error?.issues[0]?.message ?? 'empty file'}`,
    );
  return { metricsToken: token };
}

/** The agents' metrics endpoint on their management address: both settings or neither. */
function agentMetricsOf(
  port: number,
  tokenFile?: string,
): { agentMetrics?: { port: number; token: string } } {
  const fail = (why: string) => {
    throw new ConfigError(`invalid engine configuration:\n  ${why}`);
  };
  if (!port) {
    if (tokenFile) fail('KELPIE_AGENT_METRICS_TOKEN_FILE: set KELPIE_AGENT_METRICS_PORT too');
    return {};
  }
  if (!tokenFile)
    fail('KELPIE_AGENT_METRICS_PORT: needs KELPIE_AGENT_METRICS_TOKEN_FILE (the figures name VMs)');
  const token = readSecret('KELPIE_AGENT_METRICS_TOKEN_FILE', tokenFile!);
  if (!/^[A-Za-z0-9._~+/=-]{16,256}$/.test(token))
    fail('KELPIE_AGENT_METRICS_TOKEN_FILE: 16-256 characters, letters, digits and . _ ~ + / = - only');
  return { agentMetrics: { port, token } };
}

function readSecret(setting: string, file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`invalid engine configuration:\n  ${setting}: ${(err as Error).message}`);
  }
}

/** The file holds the same rule as the variable: a file left empty (or a placeholder too short)
 * stops the boot, instead of an engine nobody can log in to. */
function adminPasswordFrom(file: string): string {
  const password = readSecret('KELPIE_ADMIN_PASSWORD_FILE', file);
  if (password.length < ADMIN_PASSWORD_MIN)
    throw new ConfigError(
      `invalid engine configuration:\n  KELPIE_ADMIN_PASSWORD_FILE: at least ${ADMIN_PASSWORD_MIN} characters (${file} holds ${password.length})`,
    );
  return password;
}

function withPasswordFrom(url: string, passwordFile: string | undefined): string {
  if (!passwordFile) return url;
  const password = readSecret('KELPIE_DATABASE_PASSWORD_FILE', passwordFile);
  const u = new URL(url);
  u.password = password;
  return u.toString();
}
