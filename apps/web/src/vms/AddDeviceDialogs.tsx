import type { Vm } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { useNetworkNames, useStorageDomainNames } from '../api/names';
import { FormDialog } from '../dialogs/FormDialog';
import { NumberField, SelectField, TextField, type Option } from '../forms/fields';
import { typedNumber } from '../forms/typedNumber';
import { useAddDevice, type AddDiskBody, type AddNicBody } from './vmDevicesApi';

const DISK_FIELDS = ['name', 'storageDomainId', 'sizeGiB', 'bus', 'format'] as const;
const NIC_FIELDS = ['name', 'networkId', 'model', 'mac'] as const;
const BUSES: readonly Option<AddDiskBody['bus']>[] = [
  { value: 'virtio', label: 'VirtIO (fastest; hot-pluggable)' },
  { value: 'scsi', label: 'SCSI' },
  { value: 'sata', label: 'SATA (stopped VMs only)' },
];
const FORMATS: readonly Option<AddDiskBody['format']>[] = [
  { value: 'qcow2', label: 'QCOW2 (thin, snapshots)' },
  { value: 'raw', label: 'Raw' },
];
const MODELS: readonly Option<AddNicBody['model']>[] = [
  { value: 'virtio', label: 'VirtIO' },
  { value: 'e1000', label: 'Intel e1000' },
  { value: 'rtl8139', label: 'Realtek 8139' },
];
const options = (names: Map<string, string>) => [...names].map(([value, label]) => ({ value, label }));
const liveNote = (vm: Vm, what: string) =>
  vm.status === 'up' || vm.status === 'paused'
    ? `${vm.name} is running: the ${what} is plugged in live and kept in its definition.`
    : `The ${what} is added to ${vm.name}'s definition.`;

/** A new disk for the VM: a volume created on the storage domain, then hot-plugged. */
export function AddDiskDialog({ vm, onClose }: { vm: Vm; onClose: () => void }) {
  const [v, setV] = useState({ name: '', storageDomainId: '', sizeGiB: '1', bus: 'virtio', format: 'qcow2' });
  const add = useAddDevice(vm, 'disks');
  const sds = useStorageDomainNames();
  const id = useId();
  const set = (k: keyof typeof v) => (value: string) => setV((o) => ({ ...o, [k]: value }));
  return (
    <FormDialog
      title={`Add a disk to ${vm.name}`}
      submit="Add disk"
      fields={DISK_FIELDS}
      onSubmit={() =>
        add.mutateAsync({
          ...(v.name.trim() ? { name: v.name.trim() } : {}),
          storageDomainId: v.storageDomainId,
          sizeGiB: typedNumber(v.sizeGiB),
          bus: v.bus as AddDiskBody['bus'],
          format: v.format as AddDiskBody['format'],
        })
      }
      onClose={onClose}
    >
      {(errors) => (
        <>
          <p className="muted small">{liveNote(vm, 'disk')}</p>
          <SelectField
            id={`${id}-sd`}
            label="Storage domain"
            value={v.storageDomainId}
            placeholder="Choose a storage domain"
            options={options(sds)}
            error={errors.storageDomainId}
            onChange={set('storageDomainId')}
          />
          <NumberField
            id={`${id}-size`}
            label="Size (GiB)"
            value={v.sizeGiB}
            error={errors.sizeGiB}
            onChange={set('sizeGiB')}
          />
          <SelectField
            id={`${id}-bus`}
            label="Bus"
            value={v.bus as AddDiskBody['bus']}
            options={BUSES}
            error={errors.bus}
            onChange={(b) => b && set('bus')(b)}
          />
          <SelectField
            id={`${id}-fmt`}
            label="Format"
            value={v.format as AddDiskBody['format']}
            options={FORMATS}
            error={errors.format}
            onChange={(f) => f && set('format')(f)}
          />
          <TextField
            id={`${id}-name`}
            label="Name (optional)"
            value={v.name}
            placeholder={`${vm.name}-diskN`}
            error={errors.name}
            onChange={set('name')}
          />
        </>
      )}
    </FormDialog>
  );
}

/** A new NIC on a logical network, hot-plugged when the VM runs. */
export function AddNicDialog({ vm, onClose }: { vm: Vm; onClose: () => void }) {
  const [v, setV] = useState({ name: '', networkId: '', model: 'virtio' });
  const add = useAddDevice(vm, 'nics');
  const nets = useNetworkNames();
  const id = useId();
  const set = (k: keyof typeof v) => (value: string) => setV((o) => ({ ...o, [k]: value }));
  return (
    <FormDialog
      title={`Add a NIC to ${vm.name}`}
      submit="Add NIC"
      fields={NIC_FIELDS}
      onSubmit={() =>
        add.mutateAsync({
          ...(v.name.trim() ? { name: v.name.trim() } : {}),
          networkId: v.networkId,
          model: v.model as AddNicBody['model'],
        })
      }
      onClose={onClose}
    >
      {(errors) => (
        <>
          <p className="muted small">{liveNote(vm, 'NIC')}</p>
          <SelectField
            id={`${id}-net`}
            label="Network"
            value={v.networkId}
            placeholder="Choose a network"
            options={options(nets)}
            error={errors.networkId}
            onChange={set('networkId')}
          />
          <SelectField
            id={`${id}-model`}
            label="Model"
            value={v.model as AddNicBody['model']}
            options={MODELS}
            error={errors.model}
            onChange={(m) => m && set('model')(m)}
          />
          <TextField
            id={`${id}-name`}
            label="Name (optional)"
            value={v.name}
            error={errors.name}
            onChange={set('name')}
          />
        </>
      )}
    </FormDialog>
  );
}
