import { z } from 'zod';

const interval = (def: number, min = 100) => z.coerce.number().int().min(min).max(3_600_000).default(def);

/** Every setting the agent reads, validated once at boot. Nothing else reads process.env. */
export const agentConfigSchema = z.object({
  /** The engine's id of this host: selects the ONE command queue this agent consumes. */
  KELPIE_HOST_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-" only (1-64)'),
  KELPIE_REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  KELPIE_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." or "-" only')
    .default('kelpie'),
  KELPIE_LIBVIRT_URI: z.string().min(1).default('qemu:///system'),
  KELPIE_VIRSH_BINARY: z.string().min(1).default('virsh'),
  KELPIE_VIRSH_TIMEOUT_MS: interval(30_000, 1000),
  KELPIE_HEARTBEAT_INTERVAL_MS: interval(2_000),
  KELPIE_STATS_INTERVAL_MS: interval(10_000),
  KELPIE_RECONCILE_INTERVAL_MS: interval(10_000),
  /** Max delay between event-stream reconnect attempts (backoff starts at 250 ms). */
  KELPIE_RECONNECT_MAX_MS: interval(5_000),
  /** Commands handled in parallel; > 1 so one slow command never blocks the rest. */
  KELPIE_COMMAND_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** `probe` runs @kelpie/host-probe's boot probe; `kvm`/`tcg` force the answer (tests, CI). */
  KELPIE_VIRTUALIZATION: z.enum(['probe', 'kvm', 'tcg']).default('probe'),
  /** Lock of a running command job, renewed at half of it: a killed agent's commands are seen lost
   * (by the engine's watchdog) and taken back (by this agent's stalled check) after about this long. */
  KELPIE_COMMAND_LOCK_MS: interval(30_000, 1000),
  /** The agent's own durable state on this host (the command journal). */
  KELPIE_STATE_DIR: z
    .string()
    .regex(/^\/[^\0]*$/, 'absolute path')
    .default('/var/lib/kelpie-agent'),
  KELPIE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type LogLevel = z.infer<typeof agentConfigSchema>['KELPIE_LOG_LEVEL'];

export interface AgentConfig {
  hostId: string;
  redisUrl: string;
  redisPrefix: string;
  libvirtUri: string;
  virshBinary: string;
  virshTimeoutMs: number;
  heartbeatIntervalMs: number;
  statsIntervalMs: number;
  reconcileIntervalMs: number;
  reconnectMaxMs: number;
  commandConcurrency: number;
  virtualization: 'probe' | 'kvm' | 'tcg';
  stateDir: string;
  commandLockMs: number;
  logLevel: LogLevel;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const parsed = agentConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid agent configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    hostId: c.KELPIE_HOST_ID,
    redisUrl: c.KELPIE_REDIS_URL,
    redisPrefix: c.KELPIE_REDIS_PREFIX,
    libvirtUri: c.KELPIE_LIBVIRT_URI,
    virshBinary: c.KELPIE_VIRSH_BINARY,
    virshTimeoutMs: c.KELPIE_VIRSH_TIMEOUT_MS,
    heartbeatIntervalMs: c.KELPIE_HEARTBEAT_INTERVAL_MS,
    statsIntervalMs: c.KELPIE_STATS_INTERVAL_MS,
    reconcileIntervalMs: c.KELPIE_RECONCILE_INTERVAL_MS,
    reconnectMaxMs: c.KELPIE_RECONNECT_MAX_MS,
    commandConcurrency: c.KELPIE_COMMAND_CONCURRENCY,
    virtualization: c.KELPIE_VIRTUALIZATION,
    stateDir: c.KELPIE_STATE_DIR,
    commandLockMs: c.KELPIE_COMMAND_LOCK_MS,
    logLevel: c.KELPIE_LOG_LEVEL,
  };
}

/** The Redis URL without credentials, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.username) u.username = u.username ? '***' : '';
    return u.toString();
  } catch {
    return '<unparseable>';
  }
}
