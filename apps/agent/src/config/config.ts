import { AgentCredentials, RedisUrl, redisUrlWithCredentials } from '@kelpie/shared-types';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const interval = (def: number, min = 100) => z.coerce.number().int().min(min).max(3_600_000).default(def);

/** Every setting the agent reads, validated once at boot. Nothing else reads process.env. */
export const agentConfigSchema = z.object({
  /** The engine's id of this host: selects the ONE command queue this agent consumes. */
  KELPIE_HOST_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-" only (1-64)'),
  /** One server (redis://host:port) or a Sentinel group (redis-sentinel://s1,s2,s3/<master>). */
  KELPIE_REDIS_URL: RedisUrl.default('redis://127.0.0.1:6379'),
  KELPIE_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." or "-" only')
    .default('kelpie'),
  KELPIE_LIBVIRT_URI: z.string().min(1).default('qemu:///system'),
  KELPIE_VIRSH_BINARY: z.string().min(1).default('virsh'),
  KELPIE_VIRSH_TIMEOUT_MS: interval(30_000, 1000),
  KELPIE_HEARTBEAT_INTERVAL_MS: interval(2_000),
  KELPIE_STATS_INTERVAL_MS: interval(10_000),
  /** How often the storage domain pools are checked and reported. */
  KELPIE_STORAGE_CHECK_INTERVAL_MS: interval(10_000),
  KELPIE_RECONCILE_INTERVAL_MS: interval(10_000),
  /** Full host network report even without a kernel link/address event. */
  KELPIE_NETWORK_REFRESH_MS: interval(60_000, 1000),
  /** Datapath of the Open vSwitch bridges network setup creates: `system` (the kernel module) or
   * `netdev` (user space, for kernels without the OVS module, as in the lab). */
  KELPIE_OVS_DATAPATH: z.enum(['system', 'netdev']).default('system'),
  /** Max delay between event-stream reconnect attempts (backoff starts at 250 ms). */
  KELPIE_RECONNECT_MAX_MS: interval(5_000),
  /** Commands handled in parallel; > 1 so one slow command never blocks the rest. */
  KELPIE_COMMAND_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** `probe` runs @kelpie/host-probe's boot probe; `kvm`/`tcg` force the answer (tests, CI). */
  KELPIE_VIRTUALIZATION: z.enum(['probe', 'kvm', 'tcg']).default('probe'),
  /** Read the 1-minute load average from this file (/proc/loadavg's format) instead of the kernel:
   * lab hosts share one kernel, so each is given a file of its own (tests). */
  KELPIE_LOADAVG_FILE: z
    .string()
    .regex(/^\/[^\0]*$/, 'absolute path')
    .optional(),
  /** Lock of a running command job, renewed at half of it: a killed agent's commands are seen lost
   * (by the engine's watchdog) and taken back (by this agent's stalled check) after about this long. */
  KELPIE_COMMAND_LOCK_MS: interval(30_000, 1000),
  /** The agent's own durable state on this host (the command journal). */
  KELPIE_STATE_DIR: z
    .string()
    .regex(/^\/[^\0]*$/, 'absolute path')
    .default('/var/lib/kelpie-agent'),
  KELPIE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** JSON AgentCredentials written by enrollment (mode 0600): host id and Redis access come from it,
   * overriding KELPIE_HOST_ID / KELPIE_REDIS_URL. Absent: the env vars (agents deployed by hand). */
  KELPIE_CREDENTIALS_FILE: z
    .string()
    .regex(/^\/[^\0]*$/, 'absolute path')
    .optional(),
  /** Management address of the Prometheus endpoint (`GET /metrics`): `host:port`, `[v6]:port`, or
   * `off`. Loopback by default: the figures name the host's VMs, so reaching them from elsewhere is
   * an explicit choice (a management network address), best with KELPIE_METRICS_TOKEN. */
  KELPIE_METRICS_LISTEN: z
    .string()
    .regex(/^(off|(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5})$/, '"host:port", "[v6]:port" or "off"')
    .default('127.0.0.1:9464'),
  /** Bearer token the metrics endpoint requires (unset: none, the address alone decides). */
  KELPIE_METRICS_TOKEN: z
    .string()
    .min(16, 'at least 16 characters')
    .max(256)
    .regex(/^[A-Za-z0-9._~+/=-]+$/, 'letters, digits and . _ ~ + / = - only')
    .optional(),
  /** `on` adds the handlers of DEV_ONLY_COMMANDS (raw-XML define, diagnostic sleep): tests only;
   * enrollment never sets it. */
  KELPIE_DEV_COMMANDS: z.enum(['on', 'off']).default('off'),
  /** Where libvirt and QEMU read their TLS files; the engine-issued certificate of the credentials
   * file is installed under it at boot (CA/, libvirt/, qemu/). */
  KELPIE_PKI_DIR: z
    .string()
    .regex(/^\/[^\0]*$/, 'absolute path')
    .default('/etc/pki'),
  /** Where enrollment installed this agent (its uninstall script lives there); absent: not enrolled. */
  KELPIE_INSTALL_DIR: z
    .string()
    .regex(/^\/[^\0]*$/, 'absolute path')
    .optional(),
});

export type LogLevel = z.infer<typeof agentConfigSchema>['KELPIE_LOG_LEVEL'];

export interface AgentConfig {
  pkiDir: string;
  /** The host's engine-issued TLS certificate, CA and key (from the credentials file), if any. */
  tls?: AgentCredentials['tls'];
  hostId: string;
  redisUrl: string;
  redisPrefix: string;
  libvirtUri: string;
  virshBinary: string;
  virshTimeoutMs: number;
  heartbeatIntervalMs: number;
  statsIntervalMs: number;
  storageCheckIntervalMs: number;
  reconcileIntervalMs: number;
  networkRefreshMs: number;
  ovsDatapath: 'system' | 'netdev';
  reconnectMaxMs: number;
  commandConcurrency: number;
  virtualization: 'probe' | 'kvm' | 'tcg';
  loadavgFile?: string;
  stateDir: string;
  commandLockMs: number;
  logLevel: LogLevel;
  installDir?: string;
  /** The engine's command-signing public key (PEM), from the credentials file: only jobs it signed
   * run. Absent for agents deployed by hand (no credentials file). */
  commandPublicKeyPem?: string;
  metrics: { host: string; port: number; token?: string } | null;
  devCommands: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const credentials = env.KELPIE_CREDENTIALS_FILE ? readCredentials(env.KELPIE_CREDENTIALS_FILE) : undefined;
  const parsed = agentConfigSchema.safeParse(
    credentials
      ? { ...env, KELPIE_HOST_ID: credentials.hostId, KELPIE_REDIS_URL: redisUrlOf(credentials) }
      : env,
  );
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
    storageCheckIntervalMs: c.KELPIE_STORAGE_CHECK_INTERVAL_MS,
    reconcileIntervalMs: c.KELPIE_RECONCILE_INTERVAL_MS,
    networkRefreshMs: c.KELPIE_NETWORK_REFRESH_MS,
    ovsDatapath: c.KELPIE_OVS_DATAPATH,
    reconnectMaxMs: c.KELPIE_RECONNECT_MAX_MS,
    commandConcurrency: c.KELPIE_COMMAND_CONCURRENCY,
    virtualization: c.KELPIE_VIRTUALIZATION,
    stateDir: c.KELPIE_STATE_DIR,
    commandLockMs: c.KELPIE_COMMAND_LOCK_MS,
    logLevel: c.KELPIE_LOG_LEVEL,
    metrics: metricsListen(c.KELPIE_METRICS_LISTEN, c.KELPIE_METRICS_TOKEN),
    devCommands: c.KELPIE_DEV_COMMANDS === 'on',
    ...(c.KELPIE_LOADAVG_FILE ? { loadavgFile: c.KELPIE_LOADAVG_FILE } : {}),
    ...(c.KELPIE_INSTALL_DIR ? { installDir: c.KELPIE_INSTALL_DIR } : {}),
    ...(credentials ? { commandPublicKeyPem: credentials.commandKey.publicKeyPem } : {}),
    pkiDir: c.KELPIE_PKI_DIR,
    ...(credentials?.tls.certPem ? { tls: credentials.tls } : {}),
  };
}

function metricsListen(listen: string, token?: string): AgentConfig['metrics'] {
  if (listen === 'off') return null;
  const at = listen.lastIndexOf(':');
  const port = Number(listen.slice(at + 1));
  if (port < 1 || port > 65535)
    throw new ConfigError(`invalid agent configuration:\n  KELPIE_METRICS_LISTEN: port ${port} out of range`);
  return { host: listen.slice(0, at).replace(/^\[|\]$/g, ''), port, ...(token ? { token } : {}) };
}

function readCredentials(file: string): AgentCredentials {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`invalid agent configuration:\n  KELPIE_CREDENTIALS_FILE: ${(e as Error).message}`);
  }
  const parsed = AgentCredentials.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(
      `invalid agent configuration:\n  KELPIE_CREDENTIALS_FILE: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** The credentials' Redis URL with their ACL user and password in it (the connection reads them there). */
function redisUrlOf(c: AgentCredentials): string {
  return redisUrlWithCredentials(c.redis.url, c.redis.username, c.redis.password);
}
