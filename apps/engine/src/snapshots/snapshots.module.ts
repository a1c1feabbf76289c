import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SnapshotEntity } from './snapshot.entity';
import { SnapshotsController } from './snapshots.controller';
import { SnapshotsService } from './snapshots.service';

/** Snapshot records (taking and reverting them is vm-snapshots'). */
@Module({
  imports: [TypeOrmModule.forFeature([SnapshotEntity])],
  controllers: [SnapshotsController],
  providers: [SnapshotsService],
  exports: [SnapshotsService, TypeOrmModule],
})
export class SnapshotsModule {}
