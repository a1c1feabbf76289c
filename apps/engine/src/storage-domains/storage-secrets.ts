import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { SecretBox } from '../trust/secret-box';
import { StorageDomainSecretEntity } from './storage-domain-secret.entity';

/** A domain's secret as the hosts need it: the libvirt secret's UUID and the value, base64. */
export interface PoolSecretValue {
  uuid: string;
  base64: string;
}

/** Storage domains' authentication secrets, sealed at rest (SecretBox, the domain id as context). */
@Injectable()
export class StorageSecrets {
  constructor(
    @InjectRepository(StorageDomainSecretEntity) private readonly repo: Repository<StorageDomainSecretEntity>,
    private readonly box: SecretBox,
  ) {}

  /** Seals and stores (or replaces) the secret; the libvirt secret UUID stays the same on a change,
   * so hosts update its value in place. */
  async store(storageDomainId: string, secret: string): Promise<void> {
    const existing = await this.repo.findOneBy({ storageDomainId });
    await this.repo.save({
      storageDomainId,
      secretUuid: existing?.secretUuid ?? randomUUID(),
      sealed: this.box.seal(secret, storageDomainId),
    });
  }

  /** Whether the domain has a stored secret (its value is not opened). */
  has(storageDomainId: string): Promise<boolean> {
    return this.repo.existsBy({ storageDomainId });
  }

  /** The domain's secret, opened, or null when it has none. `alreadyBase64`: the secret is base64
   * text of its bytes (a cephx key), given to libvirt as it is. */
  async forPool(storageDomainId: string, alreadyBase64 = false): Promise<PoolSecretValue | null> {
    const row = await this.repo.findOneBy({ storageDomainId });
    if (!row) return null;
    const plain = this.box.open(row.sealed, storageDomainId);
    return {
      uuid: row.secretUuid,
      base64: alreadyBase64 ? plain : Buffer.from(plain, 'utf8').toString('base64'),
    };
  }

  /** The libvirt secret's UUID of the domain (the same on every host), its value left sealed. */
  async uuidOf(storageDomainId: string): Promise<string | null> {
    return (await this.repo.findOneBy({ storageDomainId }))?.secretUuid ?? null;
  }
}
