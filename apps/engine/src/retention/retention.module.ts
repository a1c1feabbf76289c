import { Module } from '@nestjs/common';
import { SchedulesModule } from '../schedules/schedules.module';
import { VmMigrationModule } from '../vm-migration/vm-migration.module';
import { RetentionService } from './retention.service';

@Module({
  imports: [VmMigrationModule, SchedulesModule],
  providers: [RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
