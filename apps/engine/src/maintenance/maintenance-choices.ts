import { ErrorCode, HostStatus, ObjectType, statusPhrase, Task, VmStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { DomainError, invalidState } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { HostsService } from '../hosts/hosts.service';
import { VmMigrationService } from '../vm-migration/vm-migration.service';
import { VmPowerService } from '../vm-operations/vm-power.service';
import { ResolveMaintenanceDto } from './maintenance.dto';
import { MaintenanceService } from './maintenance.service';

/**
 * The admin's way out of "preparing for maintenance" when a VM could not leave: shut it down,
 * power it off, or migrate it to a host the admin picks. The VM's own task is started (and checked)
 * first, so a refused choice is a 4xx with nothing changed; then a maintenance task waits for it and
 * finishes the evacuation, and the host enters maintenance once nothing runs there. Cancelling is
 * `activate`.
 */
@Injectable()
export class MaintenanceChoices {
  constructor(
    private readonly hosts: HostsService,
    private readonly maintenance: MaintenanceService,
    private readonly migrations: VmMigrationService,
    private readonly power: VmPowerService,
  ) {}

  async resolve(hostId: string, dto: ResolveMaintenanceDto, meta: RequestMeta): Promise<Task> {
    const host = await this.hosts.get(hostId);
    const hostRef = { type: ObjectType.Host, id: host.id, name: host.name };
    if (host.status !== HostStatus.PreparingForMaintenance)
      throw invalidState(
        `host ${host.name} is ${statusPhrase(host.status)}: choices apply to a host preparing for maintenance`,
        [{ reason: `status is ${host.status}`, ref: hostRef }],
      );
    await this.maintenance.assertNotEvacuating(host);
    const vm = (await this.migrations.vmsOn(host.id)).find((v) => v.id === dto.vmId);
    if (!vm || vm.status === VmStatus.Down)
      throw new DomainError(
        ErrorCode.InvalidState,
        `VM ${vm?.name ?? dto.vmId} does not run on host ${host.name}: nothing keeps it there`,
        [
          {
            field: 'vmId',
            reason: vm ? 'the VM is stopped' : `no VM with this id is on ${host.name}`,
            ref: hostRef,
          },
        ],
      );
    // The VM's task first: its own checks refuse a bad choice (409/422) before anything starts.
    const task =
      dto.choice === 'migrate'
        ? await this.migrations.migrate(vm.id, { targetHostId: dto.targetHostId }, meta)
        : await this.power.power(
            vm.id,
            dto.choice,
            { timeoutSeconds: dto.timeoutSeconds, forceAfterTimeout: dto.forceAfterTimeout ?? true },
            meta,
          );
    return this.maintenance.launch(host, meta, {
      vmId: vm.id,
      vmName: vm.name,
      choice: dto.choice,
      taskId: task.id,
    });
  }
}
