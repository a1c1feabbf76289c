import { Module } from '@nestjs/common';
import { VmRows } from '../crud/child-rows.port';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClustersModule } from '../clusters/clusters.module';
import { VmEntity } from './vm.entity';
import { VmsController } from './vms.controller';
import { VmRepository } from './vm.repository';
import { VmsService } from './vms.service';
import { VmAccess } from '../auth/access-tree.port';

/** VM records and the /vms reads (writes that reach hosts are vm-operations'). */
@Module({
  imports: [ClustersModule, TypeOrmModule.forFeature([VmEntity])],
  controllers: [VmsController],
  providers: [
    VmsService,
    VmRepository,
    { provide: VmAccess, useExisting: VmRepository },
    { provide: VmRows, useExisting: VmRepository },
  ],
  exports: [VmsService, VmRepository, TypeOrmModule],
})
export class VmsModule {}
