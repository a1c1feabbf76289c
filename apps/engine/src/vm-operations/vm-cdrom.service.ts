import { Task } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ImagesService } from '../images/images.service';
import { VmRepository } from '../vms/vm.repository';
import { CDROM_TARGET } from './vm-spec.builder';
import { VmGuard } from '../vm-guard/vm-guard.service';

import { HOTPLUG, HOTPLUG_PHASE, HotplugRunner } from './hotplug-runner';

/** The medium in a VM's CD-ROM drive, changed live when it runs and persistent always. */
@Injectable()
export class VmCdromService {
  constructor(
    private readonly runner: HotplugRunner,
    private readonly vmRepo: VmRepository,
    private readonly checks: VmGuard,
    private readonly images: ImagesService,
  ) {}

  /** `isoId` (an ISO of a domain's library) or `isoPath`; `isoPath: null` ejects. */
  async changeCdrom(
    id: string,
    medium: { isoPath?: string | null; isoId?: string },
    meta: RequestMeta,
  ): Promise<Task> {
    if (medium.isoId !== undefined && medium.isoPath !== undefined)
      throw validationFailed('give isoId or isoPath, not both', [
        { field: 'isoId', reason: 'isoPath is given too' },
      ]);
    if (medium.isoId === undefined && medium.isoPath === undefined)
      throw validationFailed('give isoId, isoPath, or isoPath: null to eject', [
        { field: 'isoId', reason: 'required unless isoPath is given' },
      ]);
    const { vm, host } = await this.runner.target(id);
    const isoPath = medium.isoId
      ? await this.images.isoPathFor(medium.isoId, vm.datacenterId, 'isoId')
      : (medium.isoPath ?? null);
    if (isoPath && !medium.isoId) await this.checks.checkIsoPath(isoPath, vm.datacenterId, 'isoPath');
    return this.runner.task(HOTPLUG.changeCdrom, vm, meta, async (ctx) => {
      const live = host ? await this.runner.isActive(id) : false;
      if (host) {
        await ctx.checkpoint(HOTPLUG_PHASE, { hostId: host.id, isoPath });
        const payload = { uuid: id, targetDev: CDROM_TARGET, isoPath, live };
        await this.checks.sendStep(host, 'vm.change-media', payload, ctx, 'change-media');
      }
      await this.vmRepo.setCdrom(id, isoPath);
      return { isoPath, live };
    });
  }
}
