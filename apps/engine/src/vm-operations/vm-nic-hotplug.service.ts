import { NicModel, ObjectType, Task, VmDeviceSpec } from '@kelpie/shared-types';
import { Injectable, Logger } from '@nestjs/common';
import { ClusterRepository } from '../clusters/cluster.repository';
import { notFound } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { UndoStack } from '../common/undo-stack';
import { NetworkRepository } from '../networks/network.repository';
import { NicRepository } from '../nics/nic.repository';
import { NicsService } from '../nics/nics.service';
import { CreateVmNicDto } from '../vms/vm-devices.dto';
import { nicSpecOf } from './vm-spec.builder';
import { VmGuard } from '../vm-guard/vm-guard.service';

import { HOTPLUG, HOTPLUG_PHASE, HotplugRunner } from './hotplug-runner';

/** Hot-plug of NICs, live when the VM runs and persistent always. */
@Injectable()
export class VmNicHotplugService {
  private readonly logger = new Logger('VmNicHotplug');

  constructor(
    private readonly runner: HotplugRunner,
    private readonly nicsService: NicsService,
    private readonly nicRepo: NicRepository,
    private readonly clusterRepo: ClusterRepository,
    private readonly netRepo: NetworkRepository,
    private readonly checks: VmGuard,
  ) {}

  async attachNic(id: string, dto: CreateVmNicDto, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.runner.target(id);
    const cluster = await this.clusterRepo.byId(vm.clusterId);
    const profile = await this.nicsService.profileFor(dto);
    const field = dto.profileId !== undefined ? 'profileId' : 'networkId';
    const net = await this.checks.checkNetwork(profile.networkId, cluster, field);
    const nic = await this.nicsService.create(
      { vmId: id, profileId: profile.id, model: dto.model ?? NicModel.Virtio, mac: dto.mac, name: dto.name },
      meta,
    );
    // The NIC record declares its removal where it is made: a failed attach on the host unwinds it.
    const undo = new UndoStack(this.logger);
    undo.onFailure(`NIC ${nic.mac}`, () => this.nicsService.remove(nic.id, meta));
    return this.runner.task(HOTPLUG.attachNic, vm, meta, async (ctx) => {
      if (!host) return { nicId: nic.id, mac: nic.mac };
      await ctx.checkpoint(HOTPLUG_PHASE, { hostId: host.id, nicId: nic.id, mac: nic.mac });
      try {
        const live = await this.runner.isActive(id);
        const device: VmDeviceSpec = { kind: 'nic', nic: nicSpecOf(nic, net, cluster.switchType, profile) };
        await this.checks.sendStep(host, 'vm.attach-device', { uuid: id, device, live }, ctx, 'attach');
        return { nicId: nic.id, mac: nic.mac, live };
      } catch (err) {
        await undo.unwind();
        throw err;
      }
    });
  }

  async detachNic(id: string, nicId: string, meta: RequestMeta): Promise<Task> {
    const { vm, host } = await this.runner.target(id);
    const nic = await this.nicRepo.ofVmById(id, nicId);
    if (!nic) throw notFound(ObjectType.Nic, nicId);
    const net = await this.netRepo.byId(nic.networkId);
    const cluster = await this.clusterRepo.byId(vm.clusterId);
    return this.runner.task(HOTPLUG.detachNic, vm, meta, async (ctx) => {
      const live = host ? await this.runner.isActive(id) : false;
      if (host) {
        await ctx.checkpoint(HOTPLUG_PHASE, { hostId: host.id, nicId: nic.id, mac: nic.mac });
        const device: VmDeviceSpec = { kind: 'nic', nic: nicSpecOf(nic, net, cluster.switchType) };
        await this.checks.sendStep(host, 'vm.detach-device', { uuid: id, device, live }, ctx, 'detach');
      }
      await this.nicsService.remove(nic.id, meta);
      return { nicId, live };
    });
  }
}
