import { z } from 'zod';
import { DomainSnapshot, HostCapabilities } from './domain';
import { HostNetworkState } from './host-network';
import { PoolState } from './commands-storage';

/** Agent → engine messages. Heartbeats go on HEARTBEAT_QUEUE, everything else on REPORT_QUEUE. */
const base = { hostId: z.string(), sentAt: z.string().datetime() };

export const HeartbeatReport = z.object({
  ...base,
  kind: z.literal('heartbeat'),
  protocolVersion: z.number().int(),
  agentVersion: z.string(),
  /** Agent process start time: a change means the agent restarted (engine then resyncs). */
  bootId: z.string(),
  libvirtConnected: z.boolean(),
  load: z
    .object({ load1: z.number(), memFreeKiB: z.number().int(), memTotalKiB: z.number().int() })
    .optional(),
});
export type HeartbeatReport = z.infer<typeof HeartbeatReport>;

export const HelloReport = z.object({
  ...base,
  kind: z.literal('hello'),
  protocolVersion: z.number().int(),
  agentVersion: z.string(),
  bootId: z.string(),
  capabilities: HostCapabilities,
});

/** The complete list of domains on the host: the engine treats missing ones as gone. */
export const InventoryReport = z.object({
  ...base,
  kind: z.literal('inventory'),
  /** When the listing started (the host's clock): every domain was read after it, so a domain event
   * observed before it is superseded by the listing. Absent from agents that predate it. */
  listedAt: z.string().datetime().optional(),
  domains: z.array(DomainSnapshot),
});

/** One domain changed (from a libvirt event): its fresh state, or `gone` when undefined. */
export const DomainChangedReport = z.object({
  ...base,
  kind: z.literal('domain-changed'),
  uuid: z.guid(),
  event: z.string(),
  detail: z.string().optional(),
  observedAt: z.string().datetime(),
  domain: DomainSnapshot.nullable(),
});

export const StatsReport = z.object({
  ...base,
  kind: z.literal('stats'),
  host: z.object({
    cpuPercent: z.number(),
    memTotalKiB: z.number().int(),
    memFreeKiB: z.number().int(),
    ksmSharedPages: z.number().int().optional(),
  }),
  domains: z.array(
    z.object({
      uuid: z.guid(),
      cpuTimeNs: z.number(),
      cpuPercent: z.number().optional(),
      balloonKiB: z.number().int().optional(),
      rssKiB: z.number().int().optional(),
      block: z.array(z.object({ name: z.string(), rdBytes: z.number(), wrBytes: z.number() })),
      net: z.array(z.object({ name: z.string(), rxBytes: z.number(), txBytes: z.number() })),
    }),
  ),
});

/** Progress of a long command, pushed while it runs (e.g. migration job statistics). */
export const CommandProgressReport = z.object({
  ...base,
  kind: z.literal('command-progress'),
  jobId: z.string(),
  taskId: z.string().optional(),
  percent: z.number().min(0).max(100),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

/** The host's NICs, bridges and applied networks: sent when the kernel reports a link or address
 * change, after a setup, and on the periodic refresh. */
export const HostNetworkReport = z.object({
  ...base,
  kind: z.literal('host-network'),
  network: HostNetworkState,
});

/** Every Kelpie storage pool defined on the host (`kelpie-<domain uuid>`), checked on the agent's
 * schedule: a stopped pool is restarted first, a running one refreshed (libvirt stops a pool whose
 * refresh fails, e.g. when its directory went away). The engine treats a missing pool as not defined. */
/**
 * Another host's lease record as this host sees it on the shared storage domains: how long (by this
 * host's own clock, never the writer's) the record has not changed, and whether this host has seen it
 * change at all (right after this agent started it has only seen one value: unchanged since then
 * proves nothing about renewals before). The most recently changed record over all domains counts.
 */
export const HostLeaseSighting = z.object({
  hostId: z.string().uuid(),
  unchangedForMs: z.number().int().nonnegative(),
  renewalSeen: z.boolean(),
});
export type HostLeaseSighting = z.infer<typeof HostLeaseSighting>;

export const StorageStatusReport = z.object({
  ...base,
  kind: z.literal('storage-status'),
  pools: z.array(PoolState),
  /** Other hosts' lease records on the shared domains (absent from agents before leases). */
  leases: z.array(HostLeaseSighting).max(1000).optional(),
});

export const AgentReport = z.discriminatedUnion('kind', [
  HelloReport,
  InventoryReport,
  DomainChangedReport,
  StatsReport,
  CommandProgressReport,
  HostNetworkReport,
  StorageStatusReport,
]);
export type AgentReport = z.infer<typeof AgentReport>;
export type HelloReport = z.infer<typeof HelloReport>;
export type InventoryReport = z.infer<typeof InventoryReport>;
export type DomainChangedReport = z.infer<typeof DomainChangedReport>;
export type StatsReport = z.infer<typeof StatsReport>;
export type CommandProgressReport = z.infer<typeof CommandProgressReport>;
export type HostNetworkReport = z.infer<typeof HostNetworkReport>;
export type StorageStatusReport = z.infer<typeof StorageStatusReport>;
