import { z } from 'zod';
import { domainRef, ok, spec } from './command-spec';
import { SafeName, SafePath, TargetDev } from './vm-spec';

/** Where a storage domain's pool reaches its server: a name or an IP address (IPv6 in brackets or not). */
const ServerAddress = z
  .string()
  .regex(/^[A-Za-z0-9.-]{1,253}$|^\[?[0-9A-Fa-f:.]{2,45}\]?$/, 'must be a host name or an IP address');
/** Mount options, comma-separated words (`vers=4.2,soft`): no spaces, quotes or shell characters. */
const MountOptions = z.string().regex(/^[A-Za-z0-9=,._-]{1,256}$/);

/** A directory the host serves volumes from. `build`: create the directory when it is missing (a
 * host-local one); a shared directory is never created, since an empty local directory where the
 * shared mount should be would silently put VM disks on the host's own disk. */
export const DirPoolSpec = z.strictObject({
  type: z.literal('dir'),
  name: SafeName,
  path: SafePath,
  build: z.boolean().default(false),
});
/** An NFS export libvirt mounts on `path` when it starts the pool. */
export const NetfsPoolSpec = z.strictObject({
  type: z.literal('netfs'),
  name: SafeName,
  path: SafePath,
  server: ServerAddress,
  export: SafePath,
  options: MountOptions.optional(),
});

/** An iSCSI qualified name (`iqn.2024-01.org.example:storage`): a target's or an initiator's. */
export const Iqn = z
  .string()
  .regex(/^iqn\.[0-9]{4}-[0-9]{2}\.[A-Za-z0-9.-]+(:[A-Za-z0-9._:-]+)?$/)
  .max(223);
/** A CHAP user name: printable, no spaces or XML-special characters. */
export const ChapUser = z.string().regex(/^[A-Za-z0-9_.@:-]{1,64}$/);

/** An iSCSI target libvirt logs in to in user space (libiscsi; no kernel initiator needed): its LUNs
 * are the pool's volumes. `initiator` is this host's own IQN (targets grant access per initiator).
 * With CHAP the pool names a libvirt secret by UUID; the secret's value travels separately
 * (`secret` on storage.pool.activate) and is stored by libvirt, never in the pool XML. */
export const IscsiDirectPoolSpec = z.strictObject({
  type: z.literal('iscsi-direct'),
  name: SafeName,
  host: ServerAddress,
  port: z.number().int().min(1).max(65535),
  target: Iqn,
  initiator: Iqn,
  chap: z.strictObject({ username: ChapUser, secretUuid: z.guid() }).optional(),
});

/** A Ceph pool or user name (the user without `client.`). */
export const CephName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);

/** A Ceph RBD pool: its images are the pool's volumes. libvirt reaches the monitors with the cephx
 * user whose key is the libvirt secret `auth.secretUuid` (usage `ceph`, value sent once on
 * storage.pool.activate, never in the pool XML). */
export const RbdPoolSpec = z.strictObject({
  type: z.literal('rbd'),
  name: SafeName,
  pool: CephName,
  monitors: z
    .array(z.strictObject({ host: ServerAddress, port: z.number().int().min(1).max(65535) }))
    .min(1)
    .max(16),
  auth: z.strictObject({ username: CephName, secretUuid: z.guid() }),
});

/** What a host needs to define one storage domain's libvirt pool. One member per pool type; pools that
 * authenticate name a libvirt secret by UUID, never the secret. */
export const PoolSpec = z.discriminatedUnion('type', [
  DirPoolSpec,
  NetfsPoolSpec,
  IscsiDirectPoolSpec,
  RbdPoolSpec,
]);
export type PoolSpec = z.infer<typeof PoolSpec>;

/** A pool as the host sees it: running or not, its capacity, or why it cannot run. */
export const PoolState = z.object({
  name: z.string(),
  active: z.boolean(),
  capacityBytes: z.number().int().nonnegative().nullable(),
  availableBytes: z.number().int().nonnegative().nullable(),
  /** Why the pool is not running (libvirt's words), null when it runs. */
  error: z.string().nullable(),
});
export type PoolState = z.infer<typeof PoolState>;

/** libvirt pools named after a storage domain: `kelpie-<domain uuid>`. */
export const STORAGE_POOL_PREFIX = 'kelpie-';

/** The value of the libvirt secret a pool names (`chap.secretUuid`, `auth.secretUuid`), defined
 * (private: libvirt never hands the value back) before the pool. `value` is base64 of the secret's
 * bytes (a cephx key is already that). `kind`: libvirt's usage type, iscsi (CHAP) or ceph (cephx). */
export const PoolSecret = z.strictObject({
  uuid: z.guid(),
  kind: z.enum(['iscsi', 'ceph']).default('iscsi'),
  usage: SafeName,
  value: z.string().regex(/^[A-Za-z0-9+/]{4,1024}={0,2}$/),
});
export type PoolSecret = z.infer<typeof PoolSecret>;

const VolumeName = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/);
const Bytes = z
  .number()
  .int()
  .min(1024 * 1024)
  .max(64 * 1024 ** 4);

/** Storage domains on a host: their pools (defined persistently, autostarted) and volume sizes. */
export const STORAGE_COMMANDS = {
  /** Defines the pool from the spec (a different existing definition of that name is replaced while
   * stopped), builds its directory, starts it, sets autostart, refreshes it and reports its state.
   * A pool that cannot start is not an agent error: the result says why (`active: false`, `error`). */
  'storage.pool.activate': spec({
    payload: z.strictObject({ pool: PoolSpec, secret: PoolSecret.optional() }),
    result: PoolState,
    idempotent: true,
    timeoutMs: 90_000,
    // The CHAP secret: its job leaves Redis as soon as it is done, and no one logs the payload.
    sensitive: true,
  }),
  /** Stops and undefines the pool; its files stay. A pool that does not exist is not an error. */
  'storage.pool.deactivate': spec({
    payload: z.strictObject({ name: SafeName }),
    result: ok,
    idempotent: true,
    timeoutMs: 60_000,
  }),
  /** The pool's volumes after a refresh (an iscsi-direct pool's are the target's LUNs, `unit:0:0:N`):
   * what a disk can take on a domain whose volumes are not made by Kelpie. */
  'storage.pool.volumes': spec({
    payload: z.strictObject({ pool: SafeName }),
    result: z.object({
      volumes: z.array(z.object({ name: z.string(), capacityBytes: z.number().int().nonnegative() })),
    }),
    idempotent: true,
    timeoutMs: 60_000,
  }),
  /** `vol-resize` of a volume no running domain uses, to an absolute size (so a resend is harmless). */
  'volume.resize': spec({
    payload: z.strictObject({ pool: SafeName, name: VolumeName, capacityBytes: Bytes }),
    result: z.object({ capacityBytes: z.number().int() }),
    idempotent: true,
    timeoutMs: 120_000,
  }),
  /** `blockresize` of a running domain's disk (the guest sees the new size at once). */
  'vm.block-resize': spec({
    payload: domainRef.extend({ targetDev: TargetDev, capacityBytes: Bytes }),
    result: ok,
    idempotent: true,
    timeoutMs: 60_000,
  }),
} as const;
