import { ErrorCode, VmStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { StreamService } from '../stream/stream.service';
import { waitUntil } from '../stream/wait-until';
import { VmEntity } from '../vms/vm.entity';
import { VmsService } from '../vms/vms.service';

/** While waiting for a status, re-read the VM this often in case a stream message was lost. */
const STATUS_RECHECK_MS = 1_000;

/** Waits for libvirt's events to confirm a VM status (power actions, a delete's power-off). */
@Injectable()
export class VmStatusWaiter {
  constructor(
    private readonly vms: VmsService,
    private readonly stream: StreamService,
  ) {}

  /** Resolves when the VM's status (written by VmStateSyncService from libvirt's events) is `expected`:
   * woken by the `vm.status` stream message, re-read every second in case a message was lost. */
  async waitForStatus(id: string, expected: VmStatus, timeoutMs: number): Promise<VmEntity> {
    let last: VmEntity | undefined;
    const vm = await waitUntil(
      this.stream.messages,
      (m) => m.type === 'vm.status' && m.object.id === id && m.to === expected,
      async () => {
        last = await this.vms.get(id);
        return last.status === expected ? last : undefined;
      },
      { timeoutMs, recheckMs: STATUS_RECHECK_MS },
    );
    if (vm) return vm;
    throw new DomainError(
      ErrorCode.Timeout,
      `libvirt did not report VM ${last?.name ?? id} ${expected} within ${Math.round(timeoutMs / 1000)} s (it is ${last?.status})`,
    );
  }
}
