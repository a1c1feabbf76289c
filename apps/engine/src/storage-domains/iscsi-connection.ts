import { ApiErrorDetail, StorageConnection } from '@kelpie/shared-types';

/** The port an iSCSI portal listens on when the admin names none. */
export const ISCSI_DEFAULT_PORT = 3260;

/** `host`, `host:port`, `[v6]` or `[v6]:port` → host and port (the DTO's pattern checked the shape). */
export function parsePortal(portal: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(portal);
  return { host: m?.[1] ?? portal, port: m?.[2] ? Number(m[2]) : ISCSI_DEFAULT_PORT };
}

/** The initiator name a host logs in with: one per host, stable, so a target can grant (or refuse)
 * access per host. */
export const initiatorIqnFor = (hostId: string) => `iqn.2026-01.io.kelpie:host.${hostId}`;

/** What an iSCSI domain records as its `path` (its volumes are LUNs, not files): the portal and
 * target, never a directory another check could mistake for a place of files. */
export const iscsiLocation = (c: StorageConnection) => `iscsi://${c.portal}/${c.target}`;

/** Why an iSCSI connection is incomplete or inconsistent (400 details), beyond the DTO's shapes. */
export function iscsiProblems(c: StorageConnection, pathGiven: boolean): ApiErrorDetail[] {
  const details: ApiErrorDetail[] = [];
  if (pathGiven)
    details.push({
      field: 'path',
      reason: 'an iscsi domain has no path: its volumes are the LUNs of the target',
    });
  const port = c.portal ? parsePortal(c.portal).port : ISCSI_DEFAULT_PORT;
  if (port < 1 || port > 65535) details.push({ field: 'connection.portal', reason: 'port must be 1-65535' });
  if (c.chapSecret !== undefined && c.chapUser === undefined)
    details.push({ field: 'connection.chapUser', reason: 'required with a CHAP secret' });
  if (c.chapUser !== undefined && c.chapSecret === undefined)
    details.push({ field: 'connection.chapSecret', reason: 'required with a CHAP user' });
  return details;
}
