import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { VmGuardModule } from '../vm-guard/vm-guard.module';
import { VmEntity } from '../vms/vm.entity';
import { DiskEntity } from '../disks/disk.entity';
import { DiskResizeService } from './disk-resize.service';
import { PoolActivation } from './pool-activation';
import { StorageDestroyService } from './storage-destroy.service';
import { StorageHealthService } from './storage-health.service';
import { StorageLifecycleAdoption } from './storage-lifecycle-adoption';
import { DiskResizeController, StorageLifecycleController } from './storage-lifecycle.controller';
import { StorageLifecycleRepository } from './storage-lifecycle.repository';
import { StorageLifecycleService } from './storage-lifecycle.service';

/** Storage domains as libvirt pools on the hosts: lifecycle, per-host health, disk resize. */
@Module({
  imports: [
    TypeOrmModule.forFeature([VmEntity, StorageDomainEntity, DiskEntity]),
    InventoryModule,
    AgentsModule,
    VmGuardModule,
  ],
  controllers: [StorageLifecycleController, DiskResizeController],
  exports: [StorageLifecycleRepository],
  providers: [
    StorageLifecycleService,
    StorageHealthService,
    StorageLifecycleRepository,
    DiskResizeService,
    StorageDestroyService,
    StorageLifecycleAdoption,
    PoolActivation,
  ],
})
export class StorageLifecycleModule {}
