import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SnapshotEntity } from './snapshot.entity';
import { SnapshotRepository } from './snapshot.repository';
import { SnapshotsController } from './snapshots.controller';
import { SnapshotsService } from './snapshots.service';
import { SnapshotAccess } from '../auth/access-tree.port';

/** Snapshot records (taking and reverting them is vm-snapshots'). */
@Module({
  imports: [TypeOrmModule.forFeature([SnapshotEntity])],
  controllers: [SnapshotsController],
  providers: [
    SnapshotsService,
    SnapshotRepository,
    { provide: SnapshotAccess, useExisting: SnapshotRepository },
  ],
  exports: [SnapshotsService, SnapshotRepository, TypeOrmModule],
})
export class SnapshotsModule {}
