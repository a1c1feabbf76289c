import type { ApiPaths, Disk, Nic, Snapshot, Vm } from '@kelpie/shared-types';
import { api, send } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';

type NamedVm = Pick<Vm, 'id' | 'name'>;
/** The fields `PATCH /vms/{id}` accepts. */
export type VmChanges = NonNullable<
  ApiPaths['/api/v1/vms/{id}']['patch']['requestBody']
>['content']['application/json'];

/** PATCH /vms/{id} with only the changed fields; answers the VM (with `pendingRestart`). */
export function useEditVm(vm: NamedVm) {
  return useApiMutation<VmChanges>({
    label: () => `Edit ${vm.name}`,
    send: (body) =>
      send((c) => api.PATCH('/api/v1/vms/{id}', { params: { path: { id: vm.id } }, body, ...c })),
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
export function useAddDevice<K extends 'disks' | 'nics'>(vm: NamedVm, kind: K) {
  const path = { params: { path: { id: vm.id } } };
  return useApiMutation<K extends 'disks' ? AddDiskBody : AddNicBody>({
    label: () => `Add ${kind === 'disks' ? 'disk' : 'NIC'} to ${vm.name}`,
    send: (body) =>
      'storageDomainId' in body
        ? send((c) => api.POST('/api/v1/vms/{id}/disks', { ...path, body, ...c }))
        : send((c) => api.POST('/api/v1/vms/{id}/nics', { ...path, body, ...c })),
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
      kind === 'disks'
        ? send((c) =>
            api.DELETE('/api/v1/vms/{id}/disks/{diskId}', {
              params: { path: { id: vm.id, diskId: device.id }, query: deleteVolume ? { deleteVolume } : {} },
              ...c,
            }),
          )
        : send((c) =>
            api.DELETE('/api/v1/vms/{id}/nics/{nicId}', {
              params: { path: { id: vm.id, nicId: device.id } },
              ...c,
            }),
          ),
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
    send: () => {
      const params = { params: { path: { id: vm.id, sid: snap.id } } };
      return action === 'revert'
        ? send((c) => api.POST('/api/v1/vms/{id}/snapshots/{sid}/revert', { ...params, ...c }))
        : send((c) => api.DELETE('/api/v1/vms/{id}/snapshots/{sid}', { ...params, ...c }));
    },
    invalidates: ['snapshots', 'disks', 'vms', 'tasks'],
    waitTask: true,
  });
}
