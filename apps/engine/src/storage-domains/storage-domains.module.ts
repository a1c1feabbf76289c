import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataCentersModule } from '../datacenters/datacenters.module';
import { TrustModule } from '../trust/trust.module';
import { StorageDomainSecretEntity } from './storage-domain-secret.entity';
import { StorageDomainEntity } from './storage-domain.entity';
import { StorageDomainsController } from './storage-domains.controller';
import { StorageDomainsService } from './storage-domains.service';
import { StorageSecrets } from './storage-secrets';

/** Storage domain records (their pools on hosts are storage-lifecycle's). */
@Module({
  imports: [
    DataCentersModule,
    TrustModule,
    TypeOrmModule.forFeature([StorageDomainEntity, StorageDomainSecretEntity]),
  ],
  controllers: [StorageDomainsController],
  providers: [StorageDomainsService, StorageSecrets],
  exports: [StorageDomainsService, StorageSecrets, TypeOrmModule],
})
export class StorageDomainsModule {}
