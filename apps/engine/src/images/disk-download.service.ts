import { ObjectType, VmStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { basename } from 'node:path';
import { invalidState } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { refOf } from '../crud/inventory.service';
import { DisksService } from '../disks/disks.service';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { domainPool } from './volume-names';
import { VmRepository } from '../vms/vm.repository';
import { openTransfer } from './host-transfer';
import { ImagesService } from './images.service';

export interface DiskDownload {
  name: string;
  format: string;
  sizeBytes: number;
  socket: Socket;
}

/** A disk's volume streamed from a host that reaches it, while nothing writes to it (its VM down). */
@Injectable()
export class DiskDownloadService {
  constructor(
    private readonly disks: DisksService,
    private readonly images: ImagesService,
    private readonly guard: VmGuard,
    private readonly vms: VmRepository,
  ) {}

  async open(diskId: string, meta: RequestMeta): Promise<DiskDownload> {
    const disk = await this.disks.get(diskId);
    const ref = refOf(ObjectType.Disk, disk);
    if (!disk.provisionedAt)
      throw invalidState(`disk ${disk.name} has no volume yet`, [{ reason: 'not provisioned', ref }]);
    const vm = disk.vmId ? await this.vms.byId(disk.vmId) : null;
    if (vm && vm.status !== VmStatus.Down)
      throw invalidState(`VM ${vm.name} is ${vm.status}: download its disk once it is down`, [
        { reason: `VM is ${vm.status}`, ref: refOf(ObjectType.Vm, vm) },
      ]);
    if (disk.activeImagePath)
      throw invalidState(
        `disk ${disk.name} has a snapshot overlay: delete the snapshot to download it whole`,
        [{ reason: 'external snapshot overlay in use', ref }],
      );
    const sd = await this.images.usableDomain(disk.storageDomainId);
    const host = await this.images.hostFor(sd, { hostId: vm?.hostId ?? null, name: disk.name });
    const token = randomBytes(32).toString('base64url');
    const opened = await this.guard.send(
      host,
      'image.send',
      { pool: domainPool(sd), volume: basename(disk.volumePath), offset: 0, token, validForSeconds: 60 },
      { correlationId: meta.correlationId },
    );
    const socket = await openTransfer(host.address, opened.port, token);
    return { name: disk.name, format: disk.format, sizeBytes: opened.sizeBytes, socket };
  }
}
