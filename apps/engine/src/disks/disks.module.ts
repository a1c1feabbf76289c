import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VmsModule } from '../vms/vms.module';
import { StorageDomainsModule } from '../storage-domains/storage-domains.module';
import { DiskRows } from '../crud/child-rows.port';
import { DiskEntity } from './disk.entity';
import { DiskRepository } from './disk.repository';
import { DisksController } from './disks.controller';
import { DisksService } from './disks.service';
import { DiskAccess } from '../auth/access-tree.port';

/** Disk records. */
@Module({
  imports: [VmsModule, StorageDomainsModule, TypeOrmModule.forFeature([DiskEntity])],
  controllers: [DisksController],
  providers: [
    DisksService,
    DiskRepository,
    { provide: DiskAccess, useExisting: DiskRepository },
    { provide: DiskRows, useExisting: DiskRepository },
  ],
  exports: [DisksService, DiskRepository, TypeOrmModule],
})
export class DisksModule {}
