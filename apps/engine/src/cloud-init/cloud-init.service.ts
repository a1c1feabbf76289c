import { ApiErrorDetail, CommandResult, ObjectType, Task } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { isMap, parseDocument, stringify } from 'yaml';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { DomainError, notFound, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { DiskRepository } from '../disks/disk.repository';
import { refOf } from '../crud/inventory.service';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { CloudInitDto } from './cloud-init.dto';

const FIELD_KEYS = ['users', 'sshAuthorizedKeys', 'packages', 'runcmd'] as const;

/** Validates a raw user-data document: `#cloud-config` header, well-formed YAML, a mapping.
 * Returns the problems (empty = valid). */
export function checkCloudConfig(doc: string): ApiErrorDetail[] {
  if (!/^#cloud-config[ \t]*\r?\n/.test(doc))
    return [{ field: 'userData', reason: 'must start with a "#cloud-config" line' }];
  const parsed = parseDocument(doc, { uniqueKeys: true, prettyErrors: true });
  if (parsed.errors.length)
    return parsed.errors.slice(0, 5).map((e) => ({
      field: 'userData',
      reason: `invalid YAML: ${e.message.split('\n')[0]}`,
    }));
  if (parsed.contents !== null && !isMap(parsed.contents))
    return [{ field: 'userData', reason: 'must be a YAML mapping (key: value) at the top level' }];
  return [];
}

/** user-data from the typed fields (the `yaml` library does all quoting). */
export function buildUserData(dto: CloudInitDto): string {
  const cfg: Record<string, unknown> = {};
  if (dto.users?.length) {
    cfg.users = [
      'default',
      ...dto.users.map((u) => ({
        name: u.name,
        ...(u.sshAuthorizedKeys?.length ? { ssh_authorized_keys: u.sshAuthorizedKeys } : {}),
        ...(u.passwordHash ? { passwd: u.passwordHash, lock_passwd: false } : {}),
        ...(u.sudo ? { sudo: 'ALL=(ALL) NOPASSWD:ALL' } : {}),
        ...(u.shell ? { shell: u.shell } : {}),
        ...(u.groups?.length ? { groups: u.groups.join(', ') } : {}),
      })),
    ];
  }
  if (dto.sshAuthorizedKeys?.length) cfg.ssh_authorized_keys = dto.sshAuthorizedKeys;
  if (dto.packages?.length) cfg.packages = dto.packages;
  if (dto.runcmd?.length) cfg.runcmd = dto.runcmd;
  return `#cloud-config\n${Object.keys(cfg).length ? stringify(cfg, { lineWidth: 0 }) : '{}\n'}`;
}

const hostSafe = (name: string) =>
  name
    .replace(/[^A-Za-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63) || 'vm';

@Injectable()
export class CloudInitService {
  constructor(
    private readonly ops: VmGuard,
    private readonly tasks: TasksService,
    private readonly disks: DiskRepository,
    private readonly domains: StorageDomainRepository,
  ) {}

  /** The user-data document a seed would carry; refuses what attach would refuse before any VM check
   * (the portal checks its cloud-init fields this way before creating the VM). */
  userData(dto: CloudInitDto): string {
    if (dto.userData === undefined) return buildUserData(dto);
    const mixed = FIELD_KEYS.filter((k) => dto[k] !== undefined);
    if (mixed.length)
      throw validationFailed('userData replaces the generated fields', [
        ...mixed.map((f) => ({ field: f, reason: 'not allowed together with userData' })),
      ]);
    const problems = checkCloudConfig(dto.userData);
    if (problems.length) throw validationFailed('invalid userData', problems);
    return dto.userData;
  }

  /** Validates everything before anything reaches a host; the ISO is built and attached in a task. */
  async attach(vmId: string, dto: CloudInitDto, meta: RequestMeta): Promise<Task> {
    const userData = this.userData(dto);
    const vm = await this.ops.vm(vmId);
    this.ops.guard(vm, 'cloud-init');
    let dir: string | null = null;
    if (dto.storageDomainId) {
      const sd = await this.domains.find(dto.storageDomainId);
      if (!sd || sd.datacenterId !== vm.datacenterId)
        throw sd
          ? validationFailed('storage domain is in another datacenter', [
              { field: 'storageDomainId', reason: 'not in the VM datacenter' },
            ])
          : notFound(ObjectType.StorageDomain, dto.storageDomainId);
      dir = sd.path;
    }
    const host = await this.ops.hostOf(vm);
    const hostname = dto.hostname ?? hostSafe(vm.name);
    const instanceId =
      dto.instanceId ??
      `${vm.id}-${createHash('sha256').update(userData).update(hostname).digest('hex').slice(0, 12)}`;
    const metaData = stringify({ 'instance-id': instanceId, 'local-hostname': hostname }, { lineWidth: 0 });

    return this.tasks.launch(
      {
        type: CLOUD_INIT_TASK,
        target: refOf(ObjectType.Vm, vm),
        requestedBy: meta.actor,
        correlationId: meta.correlationId,
        verify: this.ops.recheck(vm.id, 'cloud-init'),
      },
      async (ctx) => {
        await ctx.progress(5, 'locating storage for the seed ISO');
        const isoDir = dir ?? (await this.defaultDir(vm, host.id));
        const isoPath = join(isoDir, `${vm.id}-cidata.iso`);
        // The checkpoint names the seed, never its content (user data may carry secrets).
        const res = await this.ops.sendStep(
          host,
          'vm.cloud-init.attach',
          { uuid: vm.id, isoPath, metaData, userData },
          ctx,
          CLOUD_INIT_STEP,
          { isoPath, hadIso: vm.cdromIsoPath === isoPath, instanceId, hostname },
        );
        return this.attached(vm, res, { instanceId, hostname });
      },
    );
  }

  /** The seed is on the VM: the CD-ROM drive (hdc) is described in the inventory, keep it in step. */
  async attached(
    vm: VmEntity,
    res: Pick<CommandResult<'vm.cloud-init.attach'>, 'isoPath' | 'target'> & Record<string, unknown>,
    ids: { instanceId: string; hostname: string },
  ): Promise<Record<string, unknown>> {
    if (res.target === 'hdc') await this.ops.vms.setCdrom(vm.id, res.isoPath);
    return { ...res, ...ids };
  }

  /** The storage domain of the VM's first disk, else the directory of its first disk on the host. */
  private async defaultDir(vm: VmEntity, hostId: string): Promise<string> {
    const [disk] = await this.disks.ofVm(vm.id, true);
    if (disk) {
      const sd = await this.domains.find(disk.storageDomainId);
      if (sd) return sd.path;
    }
    const first = (await this.ops.storage(vm, hostId)).find((d) => d.device === 'disk');
    if (first) return dirname(first.path);
    throw new DomainError(
      'unprocessable',
      `VM ${vm.name} has no disk; give storageDomainId for the seed ISO`,
      [{ field: 'storageDomainId', reason: 'required: the VM has no disk to put the ISO beside' }],
    );
  }
}

export const CLOUD_INIT_TASK = 'vm.cloud_init';
export const CLOUD_INIT_STEP = 'seed';
