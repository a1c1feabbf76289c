import type { Vm } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { FormDialog } from '../dialogs/FormDialog';
import { CheckboxField, NumberField, SelectField, TextField } from '../forms/fields';
import {
  BOOT_ORDERS,
  FIRMWARES,
  HARDWARE_FIELDS,
  MACHINE_TYPES,
  WATCHDOGS,
  hardwareChanges,
  hardwareValues,
  whenApplied,
  type HardwareValues,
} from './hardwareForm';
import { useEditVm } from './vmDevicesApi';

const RUNNING: Vm['status'][] = ['up', 'paused'];

/** Edits a VM's hardware; on a running VM each field says whether it applies live or at the next start. */
export function EditHardwareDialog({ vm, onClose }: { vm: Vm; onClose: () => void }) {
  const [v, setV] = useState<HardwareValues>(() => hardwareValues(vm));
  const set =
    <K extends keyof HardwareValues>(k: K) =>
    (value: HardwareValues[K]) =>
      setV((o) => ({ ...o, [k]: value }));
  const edit = useEditVm(vm);
  const running = RUNNING.includes(vm.status);
  const id = useId();
  const when = (f: keyof HardwareValues, extra = '') => {
    const w = whenApplied(f, running);
    if (w === 'now') return extra || undefined;
    return (
      <>
        <span className={`tag ${w === 'live' ? 'ok' : 'warn'}`}>
          {w === 'live' ? 'applies live' : 'at next start'}
        </span>{' '}
        {extra}
      </>
    );
  };
  return (
    <FormDialog
      title={`Edit ${vm.name}`}
      submit="Save"
      fields={HARDWARE_FIELDS}
      onSubmit={() => edit.mutateAsync(hardwareChanges(vm, v))}
      onClose={onClose}
      wide
    >
      {(errors) => (
        <>
          {running && (
            <p className="muted small">
              {vm.name} is running: memory changes apply live (up to its maximum memory); vCPUs, maximum
              memory, boot order, machine type, firmware and watchdog apply at its next start.
            </p>
          )}
          <div className="form-columns">
            <fieldset className="fieldset">
              <legend>Hardware</legend>
              <NumberField
                id={`${id}-cpu`}
                label="vCPUs"
                value={v.vcpus}
                hint={when('vcpus')}
                error={errors.vcpus}
                onChange={set('vcpus')}
              />
              <NumberField
                id={`${id}-mem`}
                label="Memory (MiB)"
                value={v.memoryMib}
                hint={when('memoryMib', running ? `up to ${vm.maxMemoryMib} MiB` : '')}
                error={errors.memoryMib}
                onChange={set('memoryMib')}
              />
              <NumberField
                id={`${id}-max`}
                label="Max memory (MiB)"
                value={v.maxMemoryMib}
                hint={when('maxMemoryMib', 'the most memory can grow to while running')}
                error={errors.maxMemoryMib}
                onChange={set('maxMemoryMib')}
              />
              <SelectField
                id={`${id}-boot`}
                label="Boot order"
                value={v.bootOrder}
                options={
                  BOOT_ORDERS.some((o) => o.value === v.bootOrder)
                    ? BOOT_ORDERS
                    : [...BOOT_ORDERS, { value: v.bootOrder, label: v.bootOrder }]
                }
                hint={when('bootOrder')}
                error={errors.bootOrder}
                onChange={(b) => b && set('bootOrder')(b)}
              />
              <SelectField
                id={`${id}-machine`}
                label="Machine type"
                value={v.machineType}
                options={MACHINE_TYPES}
                hint={when('machineType')}
                error={errors.machineType}
                onChange={(m) => m && set('machineType')(m)}
              />
              <SelectField
                id={`${id}-firmware`}
                label="Firmware"
                value={v.firmware}
                options={FIRMWARES}
                hint={when('firmware')}
                error={errors.firmware ?? errors.secureBoot}
                onChange={(f) => f && set('firmware')(f)}
              />
              <SelectField
                id={`${id}-watchdog`}
                label="Watchdog"
                value={v.watchdog}
                options={WATCHDOGS}
                hint={when('watchdog', 'acts when the guest stops feeding /dev/watchdog')}
                error={errors.watchdogAction}
                onChange={set('watchdog')}
              />
            </fieldset>
            <fieldset className="fieldset">
              <legend>General</legend>
              <TextField
                id={`${id}-desc`}
                label="Description"
                value={v.description}
                rows={2}
                error={errors.description}
                onChange={set('description')}
              />
              <CheckboxField
                id={`${id}-ha`}
                label="Highly available (restarted on another host if its host fails)"
                checked={v.highlyAvailable}
                error={errors.highlyAvailable}
                onChange={set('highlyAvailable')}
              />
              <NumberField
                id={`${id}-prio`}
                label="HA restart priority (0–100)"
                value={v.haPriority}
                hint="After a host failure, higher priorities restart first."
                error={errors.haPriority}
                onChange={set('haPriority')}
              />
            </fieldset>
          </div>
        </>
      )}
    </FormDialog>
  );
}
