import type { Disk, Nic, Snapshot, Vm } from '@kelpie/shared-types';
import { apiSend } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';

type NamedVm = Pick<Vm, 'id' | 'name'>;

/** PATCH /vms/{id} with only the changed fields; answers the VM (with `pendingRestart`). */
export function useEditVm(vm: NamedVm) {
  return useApiMutation<Partial<Vm>, Vm>({
    label: () => `Edit ${vm.name}`,
    send: (body) => apiSend('PATCH', `/vms/${vm.id}`, body),
    invalidates: ['vms', 'tasks'],
  });
}

export interface AddDiskBody {
  name?: string;
  storageDomainId: string;
  sizeGiB: number;
  bus: Disk['bus'];
  format: Disk['format'];
}
export interface AddNicBody {
  name?: string;
  networkId: string;
  model: Nic['model'];
}

/** Hot-plug (or, on a stopped VM, add) a disk or NIC; settles when its task has finished. */
export function useAddDevice<B>(vm: NamedVm, kind: 'disks' | 'nics') {
  return useApiMutation<B>({
    label: () => `Add ${kind === 'disks' ? 'disk' : 'NIC'} to ${vm.name}`,
    send: (body) => apiSend('POST', `/vms/${vm.id}/${kind}`, body),
    invalidates: [kind, 'vms', 'tasks'],
    waitTask: true,
  });
}

/** Unplug a disk (keeping its volume unless asked) or a NIC; settles when its task has finished. */
export function useRemoveDevice(
  vm: NamedVm,
  kind: 'disks' | 'nics',
  device: Pick<Disk | Nic, 'id' | 'name'>,
) {
  return useApiMutation<{ deleteVolume?: boolean }>({
    label: () => `Remove ${device.name} from ${vm.name}`,
    send: ({ deleteVolume }) =>
      apiSend('DELETE', `/vms/${vm.id}/${kind}/${device.id}${deleteVolume ? '?deleteVolume=true' : ''}`),
    invalidates: [kind, 'vms', 'tasks'],
    waitTask: true,
  });
}

/** Revert to or delete a snapshot; settles when its task has finished. */
export function useSnapshotAction(
  vm: NamedVm,
  snap: Pick<Snapshot, 'id' | 'name'>,
  action: 'revert' | 'delete',
) {
  return useApiMutation<void>({
    label: () => `${action === 'revert' ? 'Revert' : 'Delete snapshot'} ${snap.name} of ${vm.name}`,
    send: () =>
      action === 'revert'
        ? apiSend('POST', `/vms/${vm.id}/snapshots/${snap.id}/revert`)
        : apiSend('DELETE', `/vms/${vm.id}/snapshots/${snap.id}`),
    invalidates: ['snapshots', 'disks', 'vms', 'tasks'],
    waitTask: true,
  });
}
