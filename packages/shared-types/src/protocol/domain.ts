import { z } from 'zod';

/** What an agent knows about one libvirt domain, mapped from virsh output. */
export const LibvirtDomainState = z.enum([
  'nostate',
  'running',
  'blocked',
  'paused',
  'shutdown',
  'shutoff',
  'crashed',
  'pmsuspended',
]);
export type LibvirtDomainState = z.infer<typeof LibvirtDomainState>;

export const DomainSnapshot = z.object({
  uuid: z.guid(),
  name: z.string(),
  state: LibvirtDomainState,
  /** libvirt's reason for the state, e.g. "migrated", "booted", "destroyed". */
  reason: z.string().optional(),
  persistent: z.boolean(),
  /** Defined with Kelpie's metadata element; false → an "external" domain. */
  managed: z.boolean(),
  vcpus: z.number().int().nonnegative(),
  memoryKiB: z.number().int().nonnegative(),
  maxMemoryKiB: z.number().int().nonnegative(),
  /** Live VNC port when the domain runs with VNC graphics. */
  vncPort: z.number().int().optional(),
});
export type DomainSnapshot = z.infer<typeof DomainSnapshot>;

export const HostCapabilities = z.object({
  hostname: z.string(),
  hostUuid: z.string(),
  cpu: z.object({
    arch: z.string(),
    model: z.string(),
    vendor: z.string(),
    flags: z.array(z.string()),
    sockets: z.number().int(),
    cores: z.number().int(),
    threads: z.number().int(),
    count: z.number().int(),
    mhz: z.number().optional(),
  }),
  numaCells: z.array(
    z.object({ id: z.number().int(), memoryKiB: z.number().int(), cpus: z.array(z.number().int()) }),
  ),
  memoryKiB: z.number().int(),
  libvirtVersion: z.string(),
  qemuVersion: z.string(),
  virtualization: z.enum(['kvm', 'tcg']),
  virtualizationReason: z.string().optional(),
  /** What `virsh domcapabilities` offers for the host's virtualization type (absent: not reported). */
  cpuModes: z
    .object({
      hostModel: z.boolean(),
      hostPassthrough: z.boolean(),
      /** Named models this host can run (usable='yes'). */
      custom: z.array(z.string()),
      /** The CPU features each named model this host cannot run lacks here (`virsh
       * hypervisor-cpu-compare`), so a refusal can name them; absent: not asked. */
      missingFeatures: z.record(z.string(), z.array(z.string())).optional(),
    })
    .optional(),
});
export type HostCapabilities = z.infer<typeof HostCapabilities>;
