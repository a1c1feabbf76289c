import type { ApiErrorDetail, StorageDomain } from '@kelpie/shared-types';
import { ApiError } from '../api/client';

export type StorageType = StorageDomain['type'];

/** The dialog's values, every one as typed (numbers too); `chapSecret` and `key` are never read back
 * from the engine (write-only), so an edit leaves them empty and sends them only when typed again. */
export interface StorageValues {
  name: string;
  description: string;
  datacenterId: string;
  type: StorageType;
  path: string;
  server: string;
  export: string;
  options: string;
  portal: string;
  target: string;
  lun: string;
  chapUser: string;
  chapSecret: string;
  monitors: string;
  pool: string;
  user: string;
  key: string;
  volumeGroup: string;
}

/** The form's fields, named as the API names them (so a 400's `details[].field` lands beside its
 * input); connection fields under `connection.`. */
export const STORAGE_FIELDS = [
  'name',
  'description',
  'datacenterId',
  'type',
  'path',
  'connection.server',
  'connection.export',
  'connection.options',
  'connection.portal',
  'connection.target',
  'connection.lun',
  'connection.chapUser',
  'connection.chapSecret',
  'connection.monitors',
  'connection.pool',
  'connection.user',
  'connection.key',
  'connection.volumeGroup',
] as const;

export const STORAGE_TYPE_OPTIONS: { value: StorageType; label: string }[] = [
  { value: 'dir', label: 'Shared directory (mounted the same on every host)' },
  { value: 'local', label: 'Host-local directory' },
  { value: 'nfs', label: 'NFS (mounted by each host)' },
  { value: 'iscsi', label: 'iSCSI target (LUNs as disks)' },
  { value: 'rbd', label: 'Ceph RBD pool' },
  { value: 'lvm', label: 'LVM volume group' },
];

/** Which inputs each type shows: a path, then its connection fields. */
export const TYPE_FIELDS: Record<StorageType, (keyof StorageValues)[]> = {
  dir: ['path'],
  local: ['path'],
  nfs: ['server', 'export', 'options', 'path'],
  iscsi: ['portal', 'target', 'lun', 'chapUser', 'chapSecret'],
  rbd: ['monitors', 'pool', 'user', 'key'],
  lvm: ['volumeGroup', 'path'],
};

export function storageValues(sd?: StorageDomain, datacenterId = ''): StorageValues {
  const c = sd?.connection ?? {};
  return {
    name: sd?.name ?? '',
    description: sd?.description ?? '',
    datacenterId: sd?.datacenterId ?? datacenterId,
    type: sd?.type ?? 'dir',
    path: sd && sd.type !== 'iscsi' && sd.type !== 'rbd' ? sd.path : '',
    server: c.server ?? '',
    export: c.export ?? '',
    options: c.options ?? '',
    portal: c.portal ?? '',
    target: c.target ?? '',
    lun: c.lun !== undefined ? String(c.lun) : '',
    chapUser: c.chapUser ?? '',
    chapSecret: '',
    monitors: (c.monitors ?? []).join(', '),
    pool: c.pool ?? '',
    user: c.user ?? '',
    key: '',
    volumeGroup: c.volumeGroup ?? '',
  };
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const splitList = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** What is wrong with the values before anything is sent, as the API would name it. `editing`: the
 * secrets may stay empty (the stored ones are kept). */
export function validateStorage(v: StorageValues, editing: boolean): ApiErrorDetail[] {
  const out: ApiErrorDetail[] = [];
  const need = (field: string, value: string, what: string) => {
    if (!value.trim()) out.push({ field, reason: `${what} is required` });
  };
  if (!NAME.test(v.name.trim()))
    out.push({ field: 'name', reason: '1–64 letters, digits, dots, dashes or underscores' });
  if (!editing) need('datacenterId', v.datacenterId, 'a datacenter');
  const fields = TYPE_FIELDS[v.type];
  // Which directories are too broad or the system's own is the engine's to say (its 400 lands here too).
  if (fields.includes('path')) {
    const p = v.path.trim();
    if (!p) out.push({ field: 'path', reason: 'the directory is required' });
    else if (!p.startsWith('/')) out.push({ field: 'path', reason: 'an absolute path (/…)' });
    else if (/^\/+$/.test(p)) out.push({ field: 'path', reason: '/ cannot hold a storage domain' });
  }
  if (v.type === 'nfs') {
    need('connection.server', v.server, 'the server');
    if (!v.export.trim().startsWith('/'))
      out.push({ field: 'connection.export', reason: 'the exported path, absolute (/…)' });
  }
  if (v.type === 'iscsi') {
    need('connection.portal', v.portal, 'the portal');
    if (!/^iqn\.\d{4}-\d{2}\.[^:\s]+(:\S+)?$|^eui\.[0-9A-Fa-f]{16}$/.test(v.target.trim()))
      out.push({ field: 'connection.target', reason: 'an IQN such as iqn.2024-01.org.example:storage' });
    if (v.lun.trim() && !(/^\d+$/.test(v.lun.trim()) && Number(v.lun) <= 16383))
      out.push({ field: 'connection.lun', reason: 'a whole number from 0 to 16383' });
    if (v.chapSecret && (v.chapSecret.length < 12 || v.chapSecret.length > 255))
      out.push({ field: 'connection.chapSecret', reason: '12 to 255 characters' });
    if (v.chapSecret && !v.chapUser.trim())
      out.push({ field: 'connection.chapUser', reason: 'a CHAP user goes with the secret' });
    if (v.chapUser.trim() && !v.chapSecret && !editing)
      out.push({ field: 'connection.chapSecret', reason: 'the CHAP secret of that user is required' });
  }
  if (v.type === 'rbd') {
    if (!splitList(v.monitors).length)
      out.push({ field: 'connection.monitors', reason: 'at least one monitor (host or host:port)' });
    need('connection.pool', v.pool, 'the Ceph pool');
    need('connection.user', v.user, 'the cephx user');
    if (v.user.trim().startsWith('client.'))
      out.push({ field: 'connection.user', reason: 'the user without "client."' });
    if (!editing) need('connection.key', v.key, "the user's key");
    if (v.key && !/^[A-Za-z0-9+/]+={0,2}$/.test(v.key.trim()))
      out.push({ field: 'connection.key', reason: 'the base64 key as in its keyring' });
  }
  if (v.type === 'lvm') need('connection.volumeGroup', v.volumeGroup, 'the volume group');
  return out;
}

/** Refuses the values like a 400 of the engine would, so the dialog shows both the same way. */
export function checkStorage(v: StorageValues, editing: boolean): void {
  const details = validateStorage(v, editing);
  if (details.length)
    throw new ApiError(400, { code: 'validation_failed', message: 'Check the marked fields', details });
}

export type StorageConnection = NonNullable<StorageDomain['connection']>;
export interface StorageBody {
  name: string;
  description: string;
  datacenterId?: string;
  type?: StorageType;
  path?: string;
  connection?: StorageConnection;
}

/** The type's connection, fields left empty omitted; secrets only when typed. */
function connectionOf(v: StorageValues): StorageConnection {
  const t = (s: string) => s.trim() || undefined;
  const byType: Record<StorageType, StorageConnection> = {
    dir: {},
    local: {},
    nfs: { server: t(v.server), export: t(v.export), options: t(v.options) },
    iscsi: {
      portal: t(v.portal),
      target: t(v.target),
      lun: v.lun.trim() ? Number(v.lun) : undefined,
      chapUser: t(v.chapUser),
      chapSecret: v.chapSecret || undefined,
    },
    rbd: { monitors: splitList(v.monitors), pool: t(v.pool), user: t(v.user), key: t(v.key) },
    lvm: { volumeGroup: t(v.volumeGroup) },
  };
  const c = byType[v.type];
  for (const k of Object.keys(c) as (keyof StorageConnection)[]) if (c[k] === undefined) delete c[k];
  return c;
}

/** The request body. A create sends everything; an edit sends the path and the connection only when
 * they changed (the engine refuses any location change while hosts use the pool), and a secret only
 * when one was typed (empty keeps the stored one). */
export function storageBody(v: StorageValues, original?: StorageValues): StorageBody {
  const body: StorageBody = { name: v.name.trim(), description: v.description };
  const hasPath = TYPE_FIELDS[v.type].includes('path');
  const connection = connectionOf(v);
  if (!original) {
    Object.assign(body, { datacenterId: v.datacenterId, type: v.type });
    if (hasPath) body.path = v.path.trim();
    if (Object.keys(connection).length) body.connection = connection;
    return body;
  }
  if (hasPath && v.path.trim() !== original.path) body.path = v.path.trim();
  if (JSON.stringify(connection) !== JSON.stringify(connectionOf(original))) body.connection = connection;
  return body;
}
