import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VmsModule } from '../vms/vms.module';
import { StorageDomainsModule } from '../storage-domains/storage-domains.module';
import { DiskEntity } from './disk.entity';
import { DisksController } from './disks.controller';
import { DisksService } from './disks.service';

/** Disk records. */
@Module({
  imports: [VmsModule, StorageDomainsModule, TypeOrmModule.forFeature([DiskEntity])],
  controllers: [DisksController],
  providers: [DisksService],
  exports: [DisksService, TypeOrmModule],
})
export class DisksModule {}
