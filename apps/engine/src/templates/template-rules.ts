import { ErrorCode, ObjectType } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';

const SHOWN = 10;

/** A template whose disks back thin VMs cannot be deleted: 409 has_children naming them (checked
 * before anything is sent to a host, so the template's domain and disks stay intact). */
export async function assertNoThinVms(
  vms: Pick<VmRepository, 'madeFrom'>,
  vm: Pick<VmEntity, 'id' | 'name'>,
): Promise<void> {
  const [rows, total] = await vms.madeFrom(vm.id, SHOWN);
  if (!total) return;
  throw new DomainError(
    ErrorCode.HasChildren,
    `template ${vm.name} backs ${total} thin VM(s) (${rows.map((r) => r.name).join(', ')}); delete them first`,
    rows.map((r) => ({
      reason: 'thin VM whose disks are backed by this template',
      ref: { type: ObjectType.Vm, id: r.id, name: r.name },
    })),
  );
}
