import type { StorageDomain } from '@kelpie/shared-types';
import { useId, useMemo } from 'react';
import { GeneralFields } from '../inventory/GeneralFields';
import { useFormValues } from '../forms/useFormValues';
import { FormDialog } from '../dialogs/FormDialog';
import { SelectField, TextField } from '../forms/fields';
import { useSaveStorageDomain } from './storageApi';
import {
  checkStorage,
  storageBody,
  storageValues,
  STORAGE_FIELDS,
  STORAGE_TYPE_OPTIONS,
  TYPE_FIELDS,
  type StorageValues,
} from './storageForm';

/** Statuses in which the engine lets the path and connection change (no host uses the pool). */
const LOCATION_EDITABLE: readonly StorageDomain['status'][] = [
  'detached',
  'inactive',
  'maintenance',
  'unknown',
];

interface Input {
  label: string;
  hint?: string;
  placeholder?: string;
  secret?: boolean;
  /** The API field the engine names in its 400s. */
  field: (typeof STORAGE_FIELDS)[number];
}

const INPUTS: Partial<Record<keyof StorageValues, Input>> = {
  path: { label: 'Path on the hosts', field: 'path', placeholder: '/srv/kelpie/images' },
  server: { label: 'NFS server', field: 'connection.server', placeholder: 'nfs.example.org' },
  export: { label: 'Exported path', field: 'connection.export', placeholder: '/exports/kelpie' },
  options: { label: 'Mount options', field: 'connection.options', placeholder: 'vers=4.2,soft' },
  portal: { label: 'iSCSI portal', field: 'connection.portal', placeholder: 'san.example.org:3260' },
  target: { label: 'Target IQN', field: 'connection.target', placeholder: 'iqn.2024-01.org.example:storage' },
  lun: { label: 'LUN (empty: every LUN of the target)', field: 'connection.lun' },
  chapUser: { label: 'CHAP user (optional)', field: 'connection.chapUser' },
  chapSecret: { label: 'CHAP secret', field: 'connection.chapSecret', secret: true },
  monitors: {
    label: 'Ceph monitors',
    field: 'connection.monitors',
    placeholder: 'ceph1:6789, ceph2:6789',
    hint: 'host or host:port, separated by commas',
  },
  pool: { label: 'Ceph pool', field: 'connection.pool', placeholder: 'kelpie' },
  user: { label: 'Cephx user', field: 'connection.user', placeholder: 'kelpie', hint: 'without "client."' },
  key: { label: 'Cephx key', field: 'connection.key', secret: true, hint: 'base64, as in the keyring' },
  volumeGroup: { label: 'Volume group', field: 'connection.volumeGroup' },
};

/** What the path means for each type that has one. */
const PATH_HINT: Partial<Record<StorageDomain['type'], string>> = {
  dir: 'A directory mounted the same on every host of the datacenter (GlusterFS, CephFS, NFS mounted by you).',
  local: 'A directory on each host; disks there stay on their host.',
  nfs: 'Where each host mounts the export.',
  lvm: 'Where the volume group’s devices appear (e.g. /dev/vg0).',
};

/**
 * A new storage domain of any type the engine knows, or the edit of one. Fields follow the type;
 * secrets (CHAP secret, cephx key) are password fields never filled from the engine (it does not
 * answer them): empty on an edit keeps the stored one. Checked here first, then by the engine, whose
 * reasons show beside the same fields.
 */
export function StorageDomainDialog({ sd, onClose }: { sd?: StorageDomain; onClose: () => void }) {
  const original = useMemo(() => (sd ? storageValues(sd) : undefined), [sd]);
  const [v, set] = useFormValues<StorageValues>(() => storageValues(sd));
  const save = useSaveStorageDomain(sd?.id);
  const id = useId();
  const locked = !!sd && !LOCATION_EDITABLE.includes(sd.status);
  return (
    <FormDialog
      title={sd ? `Edit storage domain ${sd.name}` : 'New storage domain'}
      submit={sd ? 'Save' : 'Create storage domain'}
      fields={STORAGE_FIELDS}
      onSubmit={async () => {
        checkStorage(v, !!sd);
        await save.mutateAsync(storageBody(v, original));
      }}
      onClose={onClose}
      wide
    >
      {(errors) => (
        <div className="form-columns">
          <GeneralFields id={id} v={v} errors={errors} creating={!sd} set={set} descriptionRows={2}>
            <SelectField
              id={`${id}-type`}
              label="Type"
              value={v.type}
              options={sd ? STORAGE_TYPE_OPTIONS.filter((o) => o.value === sd.type) : STORAGE_TYPE_OPTIONS}
              error={errors.type}
              onChange={(t) => t && set('type')(t)}
            />
          </GeneralFields>
          <fieldset className="fieldset" disabled={locked}>
            <legend>Location</legend>
            {locked && (
              <p className="notice small">
                The path and connection change only while no host uses the domain: put it in maintenance
                first.
              </p>
            )}
            {TYPE_FIELDS[v.type].map((k) => {
              const input = INPUTS[k]!;
              const hint =
                k === 'path'
                  ? PATH_HINT[v.type]
                  : input.secret && sd
                    ? 'Empty keeps the stored one.'
                    : input.hint;
              return (
                <TextField
                  key={`${v.type}-${k}`}
                  id={`${id}-${k}`}
                  label={input.label}
                  value={v[k] as string}
                  type={input.secret ? 'password' : 'text'}
                  autoComplete={input.secret ? 'new-password' : 'off'}
                  placeholder={input.placeholder}
                  hint={hint}
                  error={errors[input.field]}
                  onChange={set(k)}
                />
              );
            })}
          </fieldset>
        </div>
      )}
    </FormDialog>
  );
}
