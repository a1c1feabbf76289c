import { Module } from '@nestjs/common';
import { ClonesModule } from '../clones/clones.module';
import { SnapshotAdoption } from './snapshot-adoption';
import { VmSnapshotsController } from './vm-snapshots.controller';
import { VmSnapshotsService } from './vm-snapshots.service';

/** Taking, reverting and deleting snapshots (the read-only `/snapshots` list is in the inventory). */
@Module({
  imports: [ClonesModule],
  controllers: [VmSnapshotsController],
  providers: [VmSnapshotsService, SnapshotAdoption],
  exports: [VmSnapshotsService],
})
export class VmSnapshotsModule {}
