import { CommandPayload, StorageDomainType } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StorageSecrets } from '../storage-domains/storage-secrets';
import { poolSpecFor } from './pool-spec';

/** What `storage.pool.activate` tells one host: the domain's pool as that host defines it (its own
 * initiator name) and, for a domain with CHAP or a cephx key, the secret's value for libvirt's secret store. The
 * payload is never logged, and its job leaves Redis as soon as it is done (a `sensitive` command). */
@Injectable()
export class PoolActivation {
  constructor(private readonly secrets: StorageSecrets) {}

  async payloadFor(
    sd: StorageDomainEntity,
    hostId: string,
  ): Promise<CommandPayload<'storage.pool.activate'>> {
    const ceph = sd.type === StorageDomainType.Rbd;
    const secret = await this.secrets.forPool(sd.id, ceph);
    const pool = poolSpecFor(sd, { hostId, secretUuid: secret?.uuid ?? null });
    if (!secret || (pool.type !== 'iscsi-direct' && pool.type !== 'rbd')) return { pool };
    return {
      pool,
      secret: { uuid: secret.uuid, kind: ceph ? 'ceph' : 'iscsi', usage: pool.name, value: secret.base64 },
    };
  }
}
