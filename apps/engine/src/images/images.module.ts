import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DisksModule } from '../disks/disks.module';
import { StorageDomainsModule } from '../storage-domains/storage-domains.module';
import { StorageLifecycleModule } from '../storage-lifecycle/storage-lifecycle.module';
import { VmGuardModule } from '../vm-guard/vm-guard.module';
import { VmsModule } from '../vms/vms.module';
import { ImageEntity } from './image.entity';
import { DiskContentController } from './disk-content.controller';
import { DiskDownloadService } from './disk-download.service';
import { DiskMoveService } from './disk-move.service';
import { LiveDiskMoves } from './live-disk-move';
import { HostsModule } from '../hosts/hosts.module';
import { ImageUploadService } from './image-upload.service';
import { ImagesController } from './images.controller';
import { ImagesService } from './images.service';

/** Images of storage domains: the ISO library, resumable uploads streamed to a host, disk uploads. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ImageEntity]),
    StorageDomainsModule,
    VmsModule,
    StorageLifecycleModule,
    VmGuardModule,
    DisksModule,
    HostsModule,
  ],
  controllers: [ImagesController, DiskContentController],
  providers: [ImagesService, ImageUploadService, DiskDownloadService, DiskMoveService, LiveDiskMoves],
  exports: [ImagesService],
})
export class ImagesModule {}
