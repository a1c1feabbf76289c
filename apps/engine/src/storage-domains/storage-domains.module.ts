import { Module } from '@nestjs/common';
import { StorageDomainRows } from '../crud/child-rows.port';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataCentersModule } from '../datacenters/datacenters.module';
import { TrustModule } from '../trust/trust.module';
import { StorageDomainSecretEntity } from './storage-domain-secret.entity';
import { StorageDomainEntity } from './storage-domain.entity';
import { StorageDomainRepository } from './storage-domain.repository';
import { StorageDomainsController } from './storage-domains.controller';
import { StorageDomainsService } from './storage-domains.service';
import { StorageSecrets } from './storage-secrets';
import { StorageDomainAccess } from '../auth/access-tree.port';

/** Storage domain records (their pools on hosts are storage-lifecycle's). */
@Module({
  imports: [
    DataCentersModule,
    TrustModule,
    TypeOrmModule.forFeature([StorageDomainEntity, StorageDomainSecretEntity]),
  ],
  controllers: [StorageDomainsController],
  providers: [
    StorageDomainsService,
    StorageSecrets,
    StorageDomainRepository,
    { provide: StorageDomainAccess, useExisting: StorageDomainRepository },
    { provide: StorageDomainRows, useExisting: StorageDomainRepository },
  ],
  exports: [StorageDomainsService, StorageSecrets, StorageDomainRepository, TypeOrmModule],
})
export class StorageDomainsModule {}
