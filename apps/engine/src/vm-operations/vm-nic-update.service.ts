import { ObjectType, Task } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ClusterEntity } from '../clusters/cluster.entity';
import { notFound, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { HostEntity } from '../hosts/host.entity';
import { LogicalNetworkEntity } from '../networks/network.entity';
import { VnicProfileEntity } from '../networks/vnic-profile.entity';
import { NicEntity } from '../nics/nic.entity';
import { NicsService } from '../nics/nics.service';
import { TaskContext } from '../tasks/tasks.service';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { UpdateVmNicDto } from '../vms/vm-devices.dto';
import { VmEntity } from '../vms/vm.entity';
import { HOTPLUG_PHASE, HotplugRunner } from './hotplug-runner';
import { nicSpecOf } from './vm-spec.builder';

/** Not a hot-plug for adoption: both host commands are idempotent, a re-sent PATCH finishes the job. */
export const UPDATE_NIC_TASK = 'vm.update-nic';

/**
 * Changes of a plugged NIC: another profile/network (`update-device` with the whole new interface:
 * bridge, OVS tag, bandwidth) and its link state (`domif-setlink`). Live and persistent when the VM
 * runs, persistent only when it is stopped, records only when it is on no host.
 */
@Injectable()
export class VmNicUpdateService {
  constructor(
    private readonly runner: HotplugRunner,
    private readonly nicsService: NicsService,
    private readonly checks: VmGuard,
    @InjectRepository(NicEntity) private readonly nicRepo: Repository<NicEntity>,
    @InjectRepository(ClusterEntity) private readonly clusterRepo: Repository<ClusterEntity>,
    @InjectRepository(LogicalNetworkEntity) private readonly netRepo: Repository<LogicalNetworkEntity>,
    @InjectRepository(VnicProfileEntity) private readonly profileRepo: Repository<VnicProfileEntity>,
  ) {}

  async updateNic(id: string, nicId: string, dto: UpdateVmNicDto, meta: RequestMeta): Promise<Task> {
    if (dto.networkId === undefined && dto.profileId === undefined && dto.linkUp === undefined)
      throw validationFailed('nothing to change', [
        { field: 'linkUp', reason: 'give networkId, profileId or linkUp' },
      ]);
    const { vm, host } = await this.runner.target(id);
    const nic = await this.nicRepo.findOneBy({ id: nicId, vmId: id });
    if (!nic) throw notFound(ObjectType.Nic, nicId);
    const cluster = await this.clusterRepo.findOneByOrFail({ id: vm.clusterId });
    let profile = await this.profileRepo.findOneByOrFail({ id: nic.profileId });
    if (dto.networkId !== undefined || dto.profileId !== undefined) {
      profile = await this.nicsService.profileFor(dto);
      const field = dto.profileId !== undefined ? 'profileId' : 'networkId';
      await this.checks.checkNetwork(profile.networkId, cluster, field);
    }
    const net = await this.netRepo.findOneByOrFail({ id: profile.networkId });
    const linkUp = dto.linkUp ?? nic.linkUp;
    const moves = profile.id !== nic.profileId;
    return this.runner.task(UPDATE_NIC_TASK, vm, meta, async (ctx) => {
      const live = host ? await this.runner.isActive(id) : false;
      let replugged = false;
      if (host) {
        await ctx.checkpoint(HOTPLUG_PHASE, { hostId: host.id, nicId: nic.id, mac: nic.mac });
        if (moves) {
          const spec = { ...nicSpecOf(nic, net, cluster.switchType, profile), linkUp };
          const res = await this.checks.sendStep(
            host,
            'vm.update-nic',
            { uuid: id, nic: spec, live },
            ctx,
            'update',
          );
          replugged = res.replugged;
        } else if (dto.linkUp !== undefined) {
          const link = { uuid: id, mac: nic.mac, up: linkUp, live };
          await this.checks.sendStep(host, 'vm.set-nic-link', link, ctx, 'link');
        }
      }
      await this.nicsService.recordChange(
        nic,
        { profileId: profile.id, networkId: profile.networkId, linkUp },
        meta,
      );
      return { nicId, profileId: profile.id, networkId: profile.networkId, linkUp, live, replugged };
    });
  }

  /**
   * Before a defined VM starts: its NICs' definitions follow the records (a profile's QoS or a
   * network changed while it was stopped). A failure does not stop the start; the task says so.
   */
  async refreshDefinition(host: HostEntity, vm: VmEntity, ctx: TaskContext): Promise<void> {
    const vmId = vm.id;
    const nics = await this.nicRepo.find({ where: { vmId }, order: { name: 'ASC' } });
    if (!nics.length) return;
    const cluster = await this.clusterRepo.findOneByOrFail({ id: vm.clusterId });
    const nets = new Map(
      (await this.netRepo.findBy({ id: In(nics.map((n) => n.networkId)) })).map((n) => [n.id, n]),
    );
    const profiles = new Map(
      (await this.profileRepo.findBy({ id: In(nics.map((n) => n.profileId)) })).map((p) => [p.id, p]),
    );
    for (const nic of nics) {
      const spec = {
        ...nicSpecOf(nic, nets.get(nic.networkId)!, cluster.switchType, profiles.get(nic.profileId)),
        linkUp: nic.linkUp,
      };
      try {
        await this.checks.send(host, 'vm.update-nic', { uuid: vmId, nic: spec, live: false }, ctx);
      } catch (e) {
        await ctx.progress(
          ctx.task.progress,
          `NIC ${nic.name} keeps its previous definition on ${host.name}: ${(e as Error).message}`,
        );
      }
    }
  }
}
