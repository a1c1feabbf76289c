import { Module } from '@nestjs/common';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { VmMigrationModule } from '../vm-migration/vm-migration.module';
import { BalancingController } from './balancing.controller';
import { BalancingService } from './balancing.service';

/** Periodic balancing of clusters (planned by the one scheduler, carried out as live migrations). */
@Module({
  imports: [SchedulingModule, VmMigrationModule],
  controllers: [BalancingController],
  providers: [BalancingService],
})
export class BalancingModule {}
