import { ErrorCode, PoolSpec, StorageDomainType } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { initiatorIqnFor, parsePortal } from '../storage-domains/iscsi-connection';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { poolNameFor } from '../vm-operations/vm-spec.builder';

type Domain = Pick<StorageDomainEntity, 'id' | 'name' | 'type' | 'path' | 'connection'>;

/** Who the pool is for: the host (an iSCSI login names it) and the libvirt secret of the domain. */
export interface PoolHost {
  hostId: string;
  secretUuid?: string | null;
}

/** For checks made before any host is chosen (is the type activatable at all?). */
const ANY_HOST: PoolHost = { hostId: '00000000-0000-0000-0000-000000000000', secretUuid: null };

/** The libvirt pool a storage domain is on a host. One line per type: the agent's pool builder does
 * the rest. rbd and lvm domains have no pool yet. */
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
        ...(c.chapUser ? { chap: { username: c.chapUser, secretUuid: chapSecretOf(sd, host) } } : {}),
      };
    default:
      throw new DomainError(
        ErrorCode.Unprocessable,
        `storage domain ${sd.name} is of type ${sd.type}, which cannot be activated on hosts yet`,
        [{ field: 'type', reason: `${sd.type} pools are not supported yet` }],
      );
  }
}

function chapSecretOf(sd: Domain, host: PoolHost): string {
  if (host === ANY_HOST) return ANY_HOST.hostId;
  if (!host.secretUuid)
    throw new DomainError(
      ErrorCode.Unprocessable,
      `storage domain ${sd.name} has a CHAP user but no stored secret: set connection.chapSecret again`,
      [{ field: 'connection.chapSecret', reason: 'no secret stored' }],
    );
  return host.secretUuid;
}
