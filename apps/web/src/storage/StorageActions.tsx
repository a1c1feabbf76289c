import type { StorageDomain } from '@kelpie/shared-types';
import { useState, type ReactNode } from 'react';
import { PermissionsButton } from '../admin/PermissionsButton';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { StorageDomainDialog } from './StorageDomainDialog';
import { STORAGE_STEPS, useStorageStep, type StorageStep } from './storageApi';

/** Every step changes what the hosts run, so each asks first, saying what happens. */
const CONFIRM: Record<StorageStep, { title: string; message: ReactNode; label: string }> = {
  attach: {
    title: 'Attach storage domain {name}?',
    message: <p>It joins its datacenter and stays inactive: no host uses it until it is activated.</p>,
    label: 'Attach',
  },
  activate: {
    title: 'Activate storage domain {name}?',
    message: (
      <p>
        Every host of the datacenter defines and starts its pool; a host that cannot reach it shows as
        failing. Disks on it can then be used.
      </p>
    ),
    label: 'Activate',
  },
  maintenance: {
    title: 'Put storage domain {name} in maintenance?',
    message: (
      <p>
        Every host stops its pool; disks on it cannot be used until it is activated again. The engine refuses
        while running VMs use it, naming them.
      </p>
    ),
    label: 'Maintenance',
  },
  detach: {
    title: 'Detach storage domain {name}?',
    message: <p>It leaves its datacenter: hosts forget its pool. The data on it stays.</p>,
    label: 'Detach',
  },
  delete: {
    title: 'Delete storage domain {name}?',
    message: (
      <p>
        The domain is removed from Kelpie; the files on it stay. The engine refuses while disks live on it.
      </p>
    ),
    label: 'Delete',
  },
};

/** The steps that take the domain away from its hosts or from Kelpie (a red button). */
const DANGER: readonly StorageStep[] = ['detach', 'delete'];

/** A domain's lifecycle buttons (those its status allows), Edit and Permissions; every step asks
 * first. `onDeleted` runs once a delete succeeded (a detail page leaves). */
export function StorageActions({ sd, onDeleted }: { sd: StorageDomain; onDeleted?: () => void }) {
  const step = useStorageStep(sd);
  const [asking, setAsking] = useState<StorageStep | null>(null);
  const [editing, setEditing] = useState(false);
  return (
    <span className="row-actions">
      <button
        type="button"
        className="button small"
        aria-label={`Edit ${sd.name}`}
        onClick={() => setEditing(true)}
      >
        Edit
      </button>
      {STORAGE_STEPS.filter((s) => s.from.includes(sd.status)).map((s) => (
        <button
          key={s.step}
          type="button"
          className={`button small${s.step === 'delete' ? ' danger' : ''}`}
          aria-label={`${s.label} ${sd.name}`}
          disabled={step.isPending}
          onClick={() => setAsking(s.step)}
        >
          {s.label}
        </button>
      ))}
      <PermissionsButton objectType="storage_domain" objectId={sd.id} objectName={sd.name} />
      {asking && (
        <ConfirmDialog
          title={CONFIRM[asking].title.replace('{name}', sd.name)}
          message={CONFIRM[asking].message}
          confirmLabel={CONFIRM[asking].label}
          danger={DANGER.includes(asking)}
          onConfirm={async () => {
            await step.mutateAsync(asking);
            if (asking === 'delete') onDeleted?.();
          }}
          onClose={() => setAsking(null)}
        />
      )}
      {editing && <StorageDomainDialog sd={sd} onClose={() => setEditing(false)} />}
    </span>
  );
}
