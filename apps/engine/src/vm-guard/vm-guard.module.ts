import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { HostEntity } from '../hosts/host.entity';
import { ClusterNetworkEntity, LogicalNetworkEntity } from '../networks/network.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { VmEntity } from '../vms/vm.entity';
import { TaskProbe } from './task-probe';
import { VmGuard } from './vm-guard.service';

/** The checks every VM operation shares (VmGuard) and what adopters of their tasks ask hosts
 * (TaskProbe); imported by each feature that acts on VMs. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      VmEntity,
      HostEntity,
      StorageDomainEntity,
      LogicalNetworkEntity,
      ClusterNetworkEntity,
    ]),
    AgentsModule,
  ],
  providers: [VmGuard, TaskProbe],
  exports: [VmGuard, TaskProbe],
})
export class VmGuardModule {}
