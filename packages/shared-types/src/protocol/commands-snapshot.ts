import { z } from 'zod';
import { DomainSnapshot } from './domain';
import { domainRef, spec } from './command-spec';

/** libvirt snapshot names used by Kelpie: the engine's snapshot id (a UUID), never user text. */
export const snapshotName = z.guid();

/** One disk of a domain as the host sees it (file-backed disks only). */
export const DomainDiskInfo = z.object({
  /** Target device, e.g. `vda`. */
  target: z.string(),
  device: z.enum(['disk', 'cdrom', 'floppy', 'lun']),
  path: z.string(),
  /** qemu-img's format (`qcow2`, `raw`…); null when unknown (e.g. a missing ISO). */
  format: z.string().nullable(),
  virtualSizeBytes: z.number().int().nonnegative(),
  allocationBytes: z.number().int().nonnegative(),
  /** Immediate backing file of the image, if any. */
  backingPath: z.string().nullable(),
  /** Free space where the image lives: the libvirt pool containing it (pool-info), else statfs. */
  availableBytes: z.number().int().nonnegative().nullable(),
  pool: z.string().nullable(),
});
export type DomainDiskInfo = z.infer<typeof DomainDiskInfo>;

export const DomainSnapshotInfo = z.object({
  name: z.string(),
  parent: z.string().nullable(),
  /** Domain state when taken (`running`, `shutoff`, `disk-snapshot`…). */
  state: z.string(),
  current: z.boolean(),
  /** internal when every snapshotted disk is internal, else external. */
  type: z.enum(['internal', 'external']),
  withMemory: z.boolean(),
  creationTime: z.number().int(),
  /** Overlay files created by an external snapshot, by target. */
  overlays: z.array(z.object({ target: z.string(), path: z.string() })),
});
export type DomainSnapshotInfo = z.infer<typeof DomainSnapshotInfo>;

/** Snapshots: internal (qcow2, optionally with memory) and external disk-only (overlays). */
export const SNAPSHOT_COMMANDS = {
  /** The domain's file-backed disks with qemu-img facts and free space next to them. */
  'vm.storage.info': spec({
    payload: domainRef,
    result: z.object({ disks: z.array(DomainDiskInfo) }),
    idempotent: true,
    timeoutMs: 60_000,
  }),
  'vm.snapshot.create': spec({
    payload: domainRef.extend({
      name: snapshotName,
      description: z.string().max(1024).default(''),
      type: z.enum(['internal', 'external']),
      /** Internal snapshots of a running domain only (external ones are disk-only). */
      withMemory: z.boolean().default(false),
    }),
    result: DomainSnapshotInfo,
    idempotent: false,
    timeoutMs: 600_000,
  }),
  'vm.snapshot.list': spec({
    payload: domainRef,
    result: z.object({ snapshots: z.array(DomainSnapshotInfo) }),
    idempotent: true,
    timeoutMs: 60_000,
  }),
  /** Internal snapshots only: libvirt 9 cannot revert external ones. */
  'vm.snapshot.revert': spec({
    payload: domainRef.extend({ name: snapshotName }),
    result: DomainSnapshot,
    idempotent: false,
    timeoutMs: 600_000,
  }),
  /** Internal: snapshot-delete. External: merge the overlay back (blockcommit, `--active --pivot`
   * for the active layer; qemu-img commit when the domain is stopped), delete the metadata and
   * remove the overlay files. Deleting a missing snapshot succeeds. */
  'vm.snapshot.delete': spec({
    payload: domainRef.extend({ name: snapshotName }),
    result: z.object({
      deleted: z.boolean(),
      merged: z.array(z.object({ target: z.string(), overlay: z.string(), into: z.string() })),
    }),
    // A merge (blockcommit / qemu-img commit) must never run twice at once: at most once.
    idempotent: false,
    timeoutMs: 1_800_000,
  }),
} as const;
