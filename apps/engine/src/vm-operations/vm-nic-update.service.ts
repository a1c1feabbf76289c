import { CommandPayload, ObjectType, Task, VmNicSpec } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { ClusterRepository } from '../clusters/cluster.repository';
import { notFound, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { HostEntity } from '../hosts/host.entity';
import { NetworkRepository } from '../networks/network.repository';
import { NicRepository } from '../nics/nic.repository';
import { NicsService } from '../nics/nics.service';
import { TaskContext } from '../tasks/tasks.service';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { UpdateVmNicDto } from '../vms/vm-devices.dto';
import { VmEntity } from '../vms/vm.entity';
import { HOTPLUG_PHASE, HotplugRunner } from './hotplug-runner';
import { nicSpecOf } from './vm-spec.builder';

export const UPDATE_NIC_TASK = 'vm.update-nic';

/** The host command of a NIC change, and the spec the NIC's definition has once it ran (null: not
 * known, the next start re-sends the NIC). */
export type NicStep =
  | { command: 'vm.update-nic'; name: 'update'; payload: CommandPayload<'vm.update-nic'>; defines: VmNicSpec }
  | {
      command: 'vm.set-nic-link';
      name: 'link';
      payload: CommandPayload<'vm.set-nic-link'>;
      defines: VmNicSpec | null;
    };

/** A NIC change as decided before anything is sent (the adoption checkpoint). */
export interface NicChange {
  nicId: string;
  mac: string;
  want: { profileId: string; networkId: string; linkUp: boolean };
  live: boolean;
  step: NicStep | null;
}

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
    private readonly nicRepo: NicRepository,
    private readonly clusterRepo: ClusterRepository,
    private readonly netRepo: NetworkRepository,
  ) {}

  async updateNic(id: string, nicId: string, dto: UpdateVmNicDto, meta: RequestMeta): Promise<Task> {
    if (dto.networkId === undefined && dto.profileId === undefined && dto.linkUp === undefined)
      throw validationFailed('nothing to change', [
        { field: 'linkUp', reason: 'give networkId, profileId or linkUp' },
      ]);
    const { vm, host } = await this.runner.target(id);
    const nic = await this.nicRepo.ofVmById(id, nicId);
    if (!nic) throw notFound(ObjectType.Nic, nicId);
    const cluster = await this.clusterRepo.byId(vm.clusterId);
    let profile = await this.netRepo.profileById(nic.profileId);
    if (dto.networkId !== undefined || dto.profileId !== undefined) {
      profile = await this.nicsService.profileFor(dto);
      const field = dto.profileId !== undefined ? 'profileId' : 'networkId';
      await this.checks.checkNetwork(profile.networkId, cluster, field);
    }
    const net = await this.netRepo.byId(profile.networkId);
    const linkUp = dto.linkUp ?? nic.linkUp;
    const moves = profile.id !== nic.profileId;
    return this.runner.task(UPDATE_NIC_TASK, vm, meta, async (ctx) => {
      const live = host ? await this.runner.isActive(id) : false;
      const want = { profileId: profile.id, networkId: profile.networkId, linkUp };
      let step: NicStep | null = null;
      if (host && moves) {
        const spec = { ...nicSpecOf(nic, net, cluster.switchType, profile), linkUp };
        step = {
          command: 'vm.update-nic',
          name: 'update',
          payload: { uuid: id, nic: spec, live },
          defines: spec,
        };
      } else if (host && dto.linkUp !== undefined)
        step = {
          command: 'vm.set-nic-link',
          name: 'link',
          payload: { uuid: id, mac: nic.mac, up: linkUp, live },
          defines: nic.definedSpec ? { ...nic.definedSpec, linkUp } : null,
        };
      const change: NicChange = { nicId: nic.id, mac: nic.mac, want, live, step };
      // Everything an engine adopting the task needs to finish it (both commands are idempotent).
      await ctx.checkpoint(HOTPLUG_PHASE, {
        ...(host ? { hostId: host.id } : {}),
        nicId: nic.id,
        mac: nic.mac,
        change,
      });
      const res = step
        ? await this.checks.sendStep(host!, step.command, step.payload as never, ctx, step.name)
        : null;
      return this.record(change, res, meta);
    });
  }

  /** The records follow a change the host made (or that needed no host). */
  async record(change: NicChange, res: object | null, meta: RequestMeta): Promise<Record<string, unknown>> {
    const nic = await this.nicRepo.byId(change.nicId);
    if (!nic) throw notFound(ObjectType.Nic, change.nicId);
    if (change.step) await this.nicsService.recordDefinedSpec(nic.id, change.step.defines);
    await this.nicsService.recordChange(nic, change.want, meta);
    return {
      nicId: nic.id,
      ...change.want,
      live: change.live,
      replugged: !!res && 'replugged' in res && res.replugged === true,
    };
  }

  /**
   * Before a defined VM starts: its NICs' definitions follow the records (a profile's QoS or a
   * network changed while it was stopped). Only a NIC whose records give another spec than the one
   * its definition was last made from is sent (none, on most starts). A failure does not stop the
   * start; the task says so.
   */
  async refreshDefinition(host: HostEntity, vm: VmEntity, ctx: TaskContext): Promise<void> {
    const vmId = vm.id;
    const nics = await this.nicRepo.ofVmByName(vmId);
    if (!nics.length) return;
    const cluster = await this.clusterRepo.byId(vm.clusterId);
    const nets = new Map((await this.netRepo.byIds(nics.map((n) => n.networkId))).map((n) => [n.id, n]));
    const profiles = new Map(
      (await this.netRepo.profilesByIds(nics.map((n) => n.profileId))).map((p) => [p.id, p]),
    );
    for (const nic of nics) {
      const spec = {
        ...nicSpecOf(nic, nets.get(nic.networkId)!, cluster.switchType, profiles.get(nic.profileId)),
        linkUp: nic.linkUp,
      };
      if (isDeepStrictEqual(spec, nic.definedSpec)) continue;
      try {
        await this.checks.send(host, 'vm.update-nic', { uuid: vmId, nic: spec, live: false }, ctx);
        await this.nicsService.recordDefinedSpec(nic.id, spec);
      } catch (e) {
        await ctx.progress(
          ctx.task.progress,
          `NIC ${nic.name} keeps its previous definition on ${host.name}: ${(e as Error).message}`,
        );
      }
    }
  }
}
