import { Task } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RequestMeta } from '../common/http/request-meta';
import { VmEntity } from '../vms/vm.entity';
import { CDROM_TARGET } from './vm-spec.builder';
import { VmGuard } from '../vm-guard/vm-guard.service';

import { HOTPLUG, HOTPLUG_PHASE, HotplugRunner } from './hotplug-runner';

/** The medium in a VM's CD-ROM drive, changed live when it runs and persistent always. */
@Injectable()
export class VmCdromService {
  constructor(
    private readonly runner: HotplugRunner,
    @InjectRepository(VmEntity) private readonly vmRepo: Repository<VmEntity>,
    private readonly checks: VmGuard,
  ) {}

  async changeCdrom(id: string, isoPath: string | null, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.runner.target(id);
    if (isoPath) await this.checks.checkIsoPath(isoPath, vm.datacenterId, 'isoPath');
    return this.runner.task(HOTPLUG.changeCdrom, vm, meta, async (ctx) => {
      const live = host ? await this.runner.isActive(id) : false;
      if (host) {
        await ctx.checkpoint(HOTPLUG_PHASE, { hostId: host.id, isoPath });
        const payload = { uuid: id, targetDev: CDROM_TARGET, isoPath, live };
        await this.checks.sendStep(host, 'vm.change-media', payload, ctx, 'change-media');
      }
      await this.vmRepo.update({ id }, { cdromIsoPath: isoPath });
      return { isoPath, live };
    });
  }
}
