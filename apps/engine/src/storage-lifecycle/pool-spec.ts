import { ErrorCode, PoolSpec, StorageDomainType } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { initiatorIqnFor, parsePortal } from '../storage-domains/iscsi-connection';
import { parseMonitor } from '../storage-domains/rbd-connection';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { poolNameFor } from '../storage-domains/pool-name';

type Domain = Pick<StorageDomainEntity, 'id' | 'name' | 'type' | 'path' | 'connection'>;

/** Who the pool is for: the host (an iSCSI login names it) and the libvirt secret of the domain. */
export interface PoolHost {
  hostId: string;
  secretUuid?: string | null;
}

/** For checks made before any host is chosen (is the type activatable at all?). */
const ANY_HOST: PoolHost = { hostId: '00000000-0000-0000-0000-000000000000', secretUuid: null };

/** The libvirt pool a storage domain is on a host. One line per type: the agent's pool builder does
 * the rest. lvm domains have no pool yet. */
export function poolSpecFor(sd: Domain, host: PoolHost = ANY_HOST): PoolSpec {
  const name = poolNameFor(sd);
  const c = sd.connection;
  switch (sd.type) {
    case StorageDomainType.Dir:
      return { type: 'dir', name, path: sd.path, build: false };
    case StorageDomainType.Local:
      return { type: 'dir', name, path: sd.path, build: true };
    case StorageDomainType.Nfs:
      return {
        type: 'netfs',
        name,
        path: sd.path,
        server: c.server!,
        export: c.export!,
        ...(c.options ? { options: c.options } : {}),
      };
    case StorageDomainType.Iscsi:
      return {
        type: 'iscsi-direct',
        name,
        ...parsePortal(c.portal!),
        target: c.target!,
        initiator: initiatorIqnFor(host.hostId),
        ...(c.chapUser
          ? { chap: { username: c.chapUser, secretUuid: secretOf(sd, host, 'connection.chapSecret') } }
          : {}),
      };
    case StorageDomainType.Rbd:
      return {
        type: 'rbd',
        name,
        pool: c.pool!,
        monitors: c.monitors!.map(parseMonitor),
        auth: { username: c.user!, secretUuid: secretOf(sd, host, 'connection.key') },
      };
    default:
      throw new DomainError(
        ErrorCode.Unprocessable,
        `storage domain ${sd.name} is of type ${sd.type}, which cannot be activated on hosts yet`,
        [{ field: 'type', reason: `${sd.type} pools are not supported yet` }],
      );
  }
}

function secretOf(sd: Domain, host: PoolHost, field: string): string {
  if (host === ANY_HOST) return ANY_HOST.hostId;
  if (!host.secretUuid)
    throw new DomainError(
      ErrorCode.Unprocessable,
      `storage domain ${sd.name} has no stored secret: set ${field} again`,
      [{ field, reason: 'no secret stored' }],
    );
  return host.secretUuid;
}
