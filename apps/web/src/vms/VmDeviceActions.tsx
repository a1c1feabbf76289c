import type { Disk, Nic, Snapshot, Vm } from '@kelpie/shared-types';
import { useState } from 'react';
import { GuardedButton } from '../components/GuardedButton';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { useRemoveDevice, useSnapshotAction } from './vmDevicesApi';

const running = (vm: Vm) => vm.status === 'up' || vm.status === 'paused';

/** "Remove" on a disk or NIC row: asks first (a disk's volume is kept unless ticked), then waits for
 * the unplug task. */
export function RemoveDeviceButton({
  vm,
  kind,
  device,
  reason,
}: {
  vm: Vm;
  kind: 'disks' | 'nics';
  device: Disk | Nic;
  reason: string | null;
}) {
  const [open, setOpen] = useState(false);
  const [deleteVolume, setDeleteVolume] = useState(false);
  const remove = useRemoveDevice(vm, kind, device);
  const noun = kind === 'disks' ? 'disk' : 'NIC';
  return (
    <>
      <GuardedButton reason={reason} label={`Remove ${device.name}`} onClick={() => setOpen(true)}>
        Remove
      </GuardedButton>
      {open && (
        <ConfirmDialog
          title={`Remove ${noun} ${device.name} from ${vm.name}?`}
          message={
            <>
              <p>
                {running(vm)
                  ? `The ${noun} is unplugged from the running VM (the guest must release it) and from its definition.`
                  : `The ${noun} is removed from the VM's definition.`}
              </p>
              {kind === 'disks' && (
                <label className="check">
                  <input
                    type="checkbox"
                    checked={deleteVolume}
                    onChange={(e) => setDeleteVolume(e.target.checked)}
                  />{' '}
                  Also delete its volume (its data is lost)
                </label>
              )}
            </>
          }
          confirmLabel={`Remove ${noun}`}
          danger
          onConfirm={() => remove.mutateAsync({ deleteVolume })}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

const SNAP_TEXT = {
  revert: {
    label: 'Revert',
    confirm: 'Revert',
    message: (vm: Vm, s: Snapshot) =>
      `${vm.name} goes back to how it was at ${s.name}${s.withMemory ? ' (running, with its memory)' : ''}; what changed since is lost unless another snapshot holds it.`,
  },
  delete: {
    label: 'Delete',
    confirm: 'Delete snapshot',
    message: (_vm: Vm, s: Snapshot) =>
      s.type === 'external'
        ? `The snapshot ${s.name} is deleted and its overlay merged back into the disk; the VM keeps its current state.`
        : `The snapshot ${s.name} is deleted; the VM keeps its current state.`,
  },
} as const;

/** Revert or Delete beside a snapshot in the tree: asks first, then waits for its task. */
export function SnapshotActionButton({
  vm,
  snap,
  action,
  reason,
}: {
  vm: Vm;
  snap: Snapshot;
  action: 'revert' | 'delete';
  reason: string | null;
}) {
  const [open, setOpen] = useState(false);
  const run = useSnapshotAction(vm, snap, action);
  const t = SNAP_TEXT[action];
  const why =
    reason ??
    (action === 'revert' && snap.type === 'external'
      ? 'External snapshots cannot be reverted to (libvirt).'
      : null);
  return (
    <>
      <GuardedButton
        reason={why}
        danger={action === 'delete'}
        label={`${t.label} ${snap.name}`}
        onClick={() => setOpen(true)}
      >
        {t.label}
      </GuardedButton>
      {open && (
        <ConfirmDialog
          title={`${t.confirm} ${snap.name}?`}
          message={<p>{t.message(vm, snap)}</p>}
          confirmLabel={t.confirm}
          danger
          onConfirm={() => run.mutateAsync()}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
