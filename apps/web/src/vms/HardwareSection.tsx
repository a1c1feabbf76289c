import type { LogicalNetwork, StorageDomain } from '@kelpie/shared-types';
import type { ReactNode } from 'react';
import { FIRMWARES, MACHINE_TYPES } from './hardwareForm';
import type { VmField } from './vmRequest';

interface Props {
  /** The wizard's props of a field's input (id, name, value, onChange, aria-invalid/-describedby). */
  bind(f: VmField): {
    id: string;
    name: string;
    value: string;
    onChange(e: { target: { value: string } }): void;
    'aria-invalid'?: boolean;
    'aria-describedby'?: string;
  };
  fieldError(f: VmField): ReactNode;
  /** Storage domains and networks of the cluster's datacenter. */
  domains: StorageDomain[];
  networks: LogicalNetwork[];
}

/** What a VM made from scratch needs (a template brings its own): CPU, memory, a disk and a NIC. */
export function HardwareSection({ bind, fieldError, domains, networks }: Props) {
  return (
    <>
      <div className="field-row">
        <div className="field">
          <label htmlFor="vm-vcpus">vCPUs</label>
          <input {...bind('vcpus')} type="number" min={1} max={512} inputMode="numeric" />
          {fieldError('vcpus')}
        </div>
        <div className="field">
          <label htmlFor="vm-memoryMib">Memory (MiB)</label>
          <input {...bind('memoryMib')} type="number" min={16} step={256} inputMode="numeric" />
          {fieldError('memoryMib')}
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="vm-machineType">Machine type</label>
          <select {...bind('machineType')}>
            <option value="">Cluster default</option>
            {MACHINE_TYPES.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
          {fieldError('machineType')}
        </div>
        <div className="field">
          <label htmlFor="vm-firmware">Firmware</label>
          <select {...bind('firmware')}>
            <option value="">Cluster default</option>
            {FIRMWARES.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
          {fieldError('firmware')}
        </div>
      </div>
      <div className="field">
        <label htmlFor="vm-description">Description</label>
        <textarea {...bind('description')} rows={2} maxLength={1024} />
        {fieldError('description')}
      </div>
      <fieldset className="fieldset">
        <legend>Disk</legend>
        <div className="field-row">
          <div className="field">
            <label htmlFor="vm-diskStorageDomainId">Storage domain</label>
            <select {...bind('diskStorageDomainId')}>
              <option value="">No disk</option>
              {domains.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
            {fieldError('diskStorageDomainId')}
          </div>
          <div className="field">
            <label htmlFor="vm-diskSizeGiB">Disk size (GiB)</label>
            <input {...bind('diskSizeGiB')} type="number" min={1} inputMode="numeric" />
            {fieldError('diskSizeGiB')}
          </div>
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>Network interface</legend>
        <div className="field">
          <label htmlFor="vm-nicNetworkId">Network</label>
          <select {...bind('nicNetworkId')}>
            <option value="">No NIC</option>
            {networks.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name}
              </option>
            ))}
          </select>
          {fieldError('nicNetworkId')}
        </div>
      </fieldset>
    </>
  );
}
