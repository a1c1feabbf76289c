import { ApiErrorDetail, StorageConnection } from '@kelpie/shared-types';

/** The port a Ceph monitor answers msgr v1 on (what libvirt and QEMU speak) when none is named. */
export const CEPH_MON_DEFAULT_PORT = 6789;

/** `host`, `host:port`, `[v6]` or `[v6]:port` → bare host and port (the DTO's pattern checked the shape). */
export function parseMonitor(monitor: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(monitor);
  return { host: m?.[1] ?? m?.[2] ?? monitor, port: m?.[3] ? Number(m[3]) : CEPH_MON_DEFAULT_PORT };
}

/** What an rbd domain records as its `path` (its volumes are RBD images, not files): the first
 * monitor and the pool, never a directory another check could mistake for a place of files. */
export const rbdLocation = (c: StorageConnection) => `rbd://${c.monitors?.[0] ?? ''}/${c.pool ?? ''}`;

/** Why an rbd connection is incomplete or inconsistent (400 details), beyond the DTO's shapes. */
export function rbdProblems(c: StorageConnection, pathGiven: boolean): ApiErrorDetail[] {
  const details: ApiErrorDetail[] = [];
  if (pathGiven)
    details.push({
      field: 'path',
      reason: 'an rbd domain has no path: its volumes are RBD images of the pool',
    });
  (c.monitors ?? []).forEach((m, i) => {
    const { port } = parseMonitor(m);
    if (port < 1 || port > 65535)
      details.push({ field: `connection.monitors.${i}`, reason: 'port must be 1-65535' });
  });
  if (c.chapUser !== undefined || c.chapSecret !== undefined)
    details.push({ field: 'connection.chapUser', reason: 'CHAP is for iscsi storage domains only' });
  return details;
}
