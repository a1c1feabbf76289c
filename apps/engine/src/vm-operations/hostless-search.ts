import {
  DomainSnapshot,
  ErrorCode,
  HostStatus,
  ObjectType,
  statusPhrase,
  VmStatus,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '../agents/command-bus.service';
import { domainOn, DomainPresence } from '../agents/domain-probe';
import { DomainError, invalidState } from '../common/errors/domain-error';
import { refOf } from '../crud/inventory.service';
import type { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { checkTransition } from '../vm-guard/vm-state-table';
import type { VmEntity } from '../vms/vm.entity';
import { vmStatusOf } from '../vms/vm-status.mapping';

/** Hosts whose agent takes commands: up, non-operational (runs its VMs, only gets no new ones) and
 * in maintenance (its agent still runs: a start leaving it undefines VMs there). */
const ASKABLE: readonly HostStatus[] = [
  HostStatus.Up,
  HostStatus.NonOperational,
  HostStatus.PreparingForMaintenance,
  HostStatus.Maintenance,
];

/** A host whose libvirt defines the VM's domain, with its state there. */
export interface DomainFound {
  host: HostEntity;
  state: string;
}

/** A host that could have the domain but did not say (not up, or no answer), and why. */
export interface HostNotAsked {
  hostId: string;
  hostName: string;
  why: string;
}

export interface ClusterSearch {
  found: DomainFound[];
  notAsked: HostNotAsked[];
}

/** What a delete of a VM without a host does: undefine it where it was found (destroying it first
 * when it runs), or remove only the records. */
export type HostlessDeletePlan =
  | { kind: 'on-hosts'; targets: { host: HostEntity; running: boolean }[]; notAsked: HostNotAsked[] }
  | { kind: 'records'; notAsked: HostNotAsked[] };

/**
 * Where a VM without a host may still run. A VM record loses its host when the host's listings lack
 * the domain, yet QEMU may run it elsewhere in the cluster (a migration whose completion was never
 * recorded): deleting only the records would leave that QEMU running unmanaged, its disks perhaps
 * deleted under it. So every host of the cluster that could have it is asked first.
 */
@Injectable()
export class HostlessVmSearch {
  constructor(
    private readonly hosts: HostRepository,
    private readonly bus: CommandBus,
  ) {}

  /** The hosts of the VM's cluster that could have its domain: those whose agent ever sent a
   * heartbeat. Kelpie defines and migrates domains only through agents, so a host whose agent never
   * connected cannot run one of its VMs (a cluster of such hosts needs no question at all). */
  candidates(vm: Pick<VmEntity, 'clusterId'>): Promise<HostEntity[]> {
    return this.hosts.everConnectedIn(vm.clusterId);
  }

  /** Asks every candidate at once whether its libvirt has the domain (the read-only probe the
   * adopters use); a host that cannot take commands is not asked and is named with why. */
  async search(vm: Pick<VmEntity, 'id'>, hosts: HostEntity[]): Promise<ClusterSearch> {
    const answers = await Promise.all(
      hosts.map(async (host): Promise<[HostEntity, DomainPresence]> => [
        host,
        ASKABLE.includes(host.status)
          ? await domainOn(this.bus, host.id, vm.id)
          : { state: 'unknown', why: `host is ${statusPhrase(host.status)}` },
      ]),
    );
    const found: DomainFound[] = [];
    const notAsked: HostNotAsked[] = [];
    for (const [host, p] of answers) {
      if ('why' in p) notAsked.push({ hostId: host.id, hostName: host.name, why: p.why });
      else if (p.state !== 'absent') found.push({ host, state: p.state });
    }
    return { found, notAsked };
  }
}

/**
 * Decides a hostless delete from what the hosts said, as a delete of a VM on its host would: a
 * domain that runs needs force (409 otherwise). Found nowhere, a host that did not answer may be the
 * one running it: the records stay unless force says to remove them anyway.
 */
export function planHostlessDelete(vm: VmEntity, search: ClusterSearch, force: boolean): HostlessDeletePlan {
  const { found, notAsked } = search;
  if (found.length) {
    const targets = found.map(({ host, state }) => {
      // The agent reports libvirt's state names; one it does not know maps to unknown.
      const status = vmStatusOf({ state: state as DomainSnapshot['state'] });
      const verdict = checkTransition(force ? 'delete-force' : 'delete', status, vm);
      if (!verdict.allowed) {
        throw invalidState(
          `VM ${vm.name} has no host in Kelpie's records but ${host.name} has its domain (libvirt: ${state}); ${verdict.reason}`,
          [
            { reason: `defined on ${host.name} (${state})`, ref: refOf(ObjectType.Host, host) },
            { reason: verdict.reason, ref: refOf(ObjectType.Vm, vm) },
          ],
        );
      }
      return { host, running: status !== VmStatus.Down && status !== VmStatus.Crashed };
    });
    return { kind: 'on-hosts', targets, notAsked };
  }
  if (notAsked.length && !force) {
    const names = notAsked.map((h) => `${h.hostName} (${h.why})`).join(', ');
    throw new DomainError(
      ErrorCode.HostUnavailable,
      `VM ${vm.name} has no host in Kelpie's records and no host asked has its domain, but ${names} could not be asked; ` +
        'delete it again once they are up, or with force=true to remove the records anyway (a domain still running there would be left unmanaged)',
      notAsked.map((h) => ({
        reason: `could not be asked: ${h.why}`,
        ref: { type: ObjectType.Host, id: h.hostId, name: h.hostName },
      })),
    );
  }
  return { kind: 'records', notAsked };
}
