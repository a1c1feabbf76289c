import { DomainMigrationInfo, ErrorCode } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { TaskProbe } from '../vm-guard/task-probe';
import { CLOUD_INIT_TASK, CloudInitService } from './cloud-init.service';

/** The CD-ROM drive that holds `isoPath`, if any. */
export const seedDrive = (d: DomainMigrationInfo | null, isoPath: string) =>
  d?.disks.find((x) => x.device === 'cdrom' && x.path === isoPath);

/**
 * Adopts cloud-init tasks of a dead engine. The seed's job decides when its outcome is kept. Lost,
 * the domain's devices decide when they can: the seed ISO in a CD-ROM drive and it was not there
 * before → succeeded; absent from a stopped domain → failed (attach again). A running domain may
 * carry a seed for its next start only (persistent config, not in the live devices), and a seed at
 * the same path before cannot be told from a new one: interrupted, saying so.
 */
@Injectable()
export class CloudInitAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly probe: TaskProbe,
    private readonly cloudInit: CloudInitService,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(CLOUD_INIT_TASK, (ctx, cp) => this.adopt(ctx, cp));
  }

  async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const { vm, host } = await this.probe.target(ctx, cp);
    const isoPath = cp.isoPath as string;
    const ids = { instanceId: cp.instanceId as string, hostname: cp.hostname as string };
    const done = await this.probe.stepResult(host, 'vm.cloud-init.attach', cp.jobId);
    if (done) return this.cloudInit.attached(vm, done, ids);
    const devices = await this.probe.devices(vm, host);
    const drive = seedDrive(devices, isoPath);
    if (drive && cp.hadIso !== true)
      return this.cloudInit.attached(vm, { isoPath, target: drive.target }, ids);
    if (!drive && devices && devices.state !== 'running' && devices.state !== 'paused')
      throw new DomainError(
        ErrorCode.Unprocessable,
        `the engine stopped before the cloud-init seed was attached to VM ${vm.name} (${host.name} shows no ${isoPath}); attach it again`,
      );
    throw new TaskUnknowable(
      `the engine stopped while attaching the cloud-init seed of VM ${vm.name} and its outcome is lost; ${host.name} ${drive ? 'shows the seed path, which it held before' : 'runs the VM, whose next-start config may hold it'}: attach it again (harmless) to be sure`,
    );
  }
}
