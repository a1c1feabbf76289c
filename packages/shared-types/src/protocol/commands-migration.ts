import { z } from 'zod';
import { domainRef, spec } from './command-spec';

/** How the source agent runs one live migration (the engine has merged cluster defaults and the request). */
export const MigrationPostcopyMode = z.enum(['off', 'immediate', 'on-stall']);
export type MigrationPostcopyMode = z.infer<typeof MigrationPostcopyMode>;

/** shared: disks stay where they are (same path on both hosts); copy-all: every disk is copied to the
 * target (a pool on the target must contain the path); copy-incremental: only what a backing chain lacks. */
export const MigrationStorageMode = z.enum(['shared', 'copy-all', 'copy-incremental']);
export type MigrationStorageMode = z.infer<typeof MigrationStorageMode>;

export const MigrationOptions = z.strictObject({
  /** null: no limit. */
  maxBandwidthMiBps: z.number().int().min(1).max(100_000).nullable(),
  maxDowntimeMs: z.number().int().min(1).max(600_000),
  autoConverge: z.boolean(),
  postcopy: MigrationPostcopyMode,
  compressed: z.boolean(),
  storage: MigrationStorageMode,
  /** Pass `--unsafe`: libvirt cannot prove the storage is shared (e.g. a local directory seen at the
   * same path on every host) although the engine knows it is. */
  unsafe: z.boolean(),
  /** Abort (or switch to postcopy when allowed) when the data remaining stops shrinking this long. */
  abortOnNoProgressSeconds: z.number().int().min(1).max(3600),
  /** Hard limit for the whole migration; the agent aborts it cleanly after that. */
  maxTotalSeconds: z.number().int().min(10).max(86_400),
  /** `virsh migrate --tls`: QEMU carries the migration stream over TLS with the host certificates the
   * engine issued (PKI directory qemu/); absent: plain (engines before the setting). */
  tls: z.boolean().default(false),
  /** domjobinfo polling period (progress reports go out at this rate). */
  progressIntervalMs: z.number().int().min(100).max(5000).default(500),
});
export type MigrationOptions = z.infer<typeof MigrationOptions>;

/** One `virsh domjobinfo` sample, sizes in bytes, rates in bytes/s. */
export const MigrationJobSample = z.object({
  elapsedMs: z.number().nonnegative(),
  dataProcessed: z.number().nonnegative().optional(),
  dataRemaining: z.number().nonnegative().optional(),
  dataTotal: z.number().nonnegative().optional(),
  memoryProcessed: z.number().nonnegative().optional(),
  memoryRemaining: z.number().nonnegative().optional(),
  memoryTotal: z.number().nonnegative().optional(),
  memoryBandwidth: z.number().nonnegative().optional(),
  dirtyRate: z.number().nonnegative().optional(),
  iteration: z.number().int().nonnegative().optional(),
  postcopyRequests: z.number().int().nonnegative().optional(),
  throttlePercent: z.number().nonnegative().optional(),
  downtimeMs: z.number().nonnegative().optional(),
  totalMs: z.number().nonnegative().optional(),
  /** Disk copy (copy-storage modes). */
  fileProcessed: z.number().nonnegative().optional(),
  fileRemaining: z.number().nonnegative().optional(),
  fileTotal: z.number().nonnegative().optional(),
});
export type MigrationJobSample = z.infer<typeof MigrationJobSample>;

export const MigrationCommandResult = z.object({
  /** `domjobinfo --completed` of the source. */
  stats: MigrationJobSample,
  postcopyUsed: z.boolean(),
  samples: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
});
export type MigrationCommandResult = z.infer<typeof MigrationCommandResult>;

/** Facts about a domain the engine checks before a migration (read-only). */
export const DomainMigrationInfo = z.object({
  uuid: z.guid(),
  state: z.string(),
  hostdevs: z.number().int().nonnegative(),
  disks: z.array(
    z.object({
      target: z.string(),
      device: z.string(),
      type: z.string(),
      path: z.string().nullable(),
      cache: z.string().nullable(),
      readonly: z.boolean(),
      shareable: z.boolean(),
    }),
  ),
  interfaces: z.array(
    z.object({
      type: z.string(),
      bridge: z.string().nullable(),
      network: z.string().nullable(),
      /** Its MAC address (an engine settling a NIC hot-plug looks for it). */
      mac: z.string().nullable().optional(),
    }),
  ),
  memoryKiB: z.number().int().nonnegative(),
});
export type DomainMigrationInfo = z.infer<typeof DomainMigrationInfo>;

export const MIGRATION_COMMANDS = {
  /** Live, peer-to-peer migration from this host to `destinationUri`; progress every
   * `progressIntervalMs` as command-progress reports (data = MigrationJobSample + phase). */
  'vm.migrate': spec({
    payload: domainRef.extend({
      destinationUri: z
        .string()
        .regex(/^qemu(\+(tcp|tls|ssh))?:\/\/[A-Za-z0-9_.:@[\]-]+\/system(\?[A-Za-z0-9_=&.-]*)?$/),
      options: MigrationOptions,
    }),
    result: MigrationCommandResult,
    idempotent: false,
    timeoutMs: 24 * 3600_000,
  }),
  /** Aborts the domain's running migration job (domjobabort); the domain keeps running here. */
  'vm.migrate-abort': spec({
    payload: domainRef.extend({ reason: z.string().max(500).optional() }),
    result: z.object({ aborted: z.boolean() }),
    idempotent: true,
    timeoutMs: 30_000,
  }),
  /** Read-only facts a migration pre-check needs. */
  'vm.migration-info': spec({
    payload: domainRef,
    result: DomainMigrationInfo,
    idempotent: true,
    timeoutMs: 30_000,
  }),
  /** Read-only: can this host receive a domain with these disks/networks? */
  'host.migration-target-check': spec({
    payload: z.strictObject({
      storage: MigrationStorageMode,
      paths: z.array(z.string().max(4096)).max(64),
      bridges: z.array(z.string().max(64)).max(64),
      networks: z.array(z.string().max(256)).max(64),
      /** The migration will be encrypted: this host's TLS certificate must be in place. */
      tls: z.boolean().default(false),
    }),
    result: z.object({ problems: z.array(z.string()) }),
    idempotent: true,
    timeoutMs: 30_000,
  }),
} as const;
