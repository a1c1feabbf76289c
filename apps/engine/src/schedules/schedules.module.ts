import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HostsModule } from '../hosts/hosts.module';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { VmMigrationModule } from '../vm-migration/vm-migration.module';
import { VmOperationsModule } from '../vm-operations/vm-operations.module';
import { VmSnapshotsModule } from '../vm-snapshots/vm-snapshots.module';
import { VmsModule } from '../vms/vms.module';
import { ScheduleEntity, ScheduleRunEntity } from './schedule.entity';
import { ScheduleQueue } from './schedule-queue';
import { ScheduleRunner } from './schedule-runner';
import { SchedulesController } from './schedules.controller';
import { SchedulesRepository } from './schedules.repository';
import { SchedulesService } from './schedules.service';

/** Scheduled operations: a migration, maintenance, power action or snapshot at a time or on a cron. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ScheduleEntity, ScheduleRunEntity]),
    VmsModule,
    HostsModule,
    VmOperationsModule,
    VmMigrationModule,
    MaintenanceModule,
    VmSnapshotsModule,
  ],
  controllers: [SchedulesController],
  providers: [SchedulesService, SchedulesRepository, ScheduleRunner, ScheduleQueue],
  exports: [SchedulesRepository],
})
export class SchedulesModule {}
