import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HostEntity } from '../hosts/host.entity';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { TaskEntity } from '../tasks/task.entity';
import { VmMigrationModule } from '../vm-migration/vm-migration.module';
import { VmOperationsModule } from '../vm-operations/vm-operations.module';
import { VmSnapshotsModule } from '../vm-snapshots/vm-snapshots.module';
import { VmEntity } from '../vms/vm.entity';
import { ScheduleEntity, ScheduleRunEntity } from './schedule.entity';
import { ScheduleQueue } from './schedule-queue';
import { ScheduleRunner } from './schedule-runner';
import { SchedulesController } from './schedules.controller';
import { SchedulesRepository } from './schedules.repository';
import { SchedulesService } from './schedules.service';

/** Scheduled operations: a migration, maintenance, power action or snapshot at a time or on a cron. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ScheduleEntity, ScheduleRunEntity, VmEntity, HostEntity, TaskEntity]),
    VmOperationsModule,
    VmMigrationModule,
    MaintenanceModule,
    VmSnapshotsModule,
  ],
  controllers: [SchedulesController],
  providers: [SchedulesService, SchedulesRepository, ScheduleRunner, ScheduleQueue],
})
export class SchedulesModule {}
