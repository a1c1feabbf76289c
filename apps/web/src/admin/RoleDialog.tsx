import { ALL_PERMISSIONS, type Permission, type RoleInfo } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { FormDialog } from '../dialogs/FormDialog';
import { FieldError } from '../forms/FieldError';
import { CheckboxField, TextField } from '../forms/fields';
import { adminApi } from './adminApi';

/** A custom role made from the permission list, or one changed (`role`): its grants carry the new
 * permissions at once. */
export function RoleDialog({
  role,
  onDone,
  onClose,
}: {
  role?: RoleInfo;
  onDone: () => void;
  onClose: () => void;
}) {
  const id = useId();
  const [name, setName] = useState(role?.name ?? '');
  const [chosen, setChosen] = useState<ReadonlySet<Permission>>(new Set(role?.permissions ?? ['view']));
  const toggle = (p: Permission, on: boolean) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(p);
      else next.delete(p);
      return next;
    });
  // In the permission list's order, whatever order they were ticked in.
  const permissions = ALL_PERMISSIONS.filter((p) => chosen.has(p));
  const send = () =>
    (role
      ? adminApi.updateRole(role.id, { name, permissions })
      : adminApi.createRole({ name, permissions })
    ).then(onDone);
  return (
    <FormDialog
      title={role ? `Edit role ${role.name}` : 'New role'}
      submit={role ? 'Save role' : 'Create role'}
      fields={['name', 'permissions']}
      onSubmit={send}
      onClose={onClose}
      wide
    >
      {(errors) => (
        <>
          <TextField id={`${id}-n`} label="Name" value={name} onChange={setName} error={errors.name} />
          <fieldset className="fieldset" aria-describedby={errors.permissions ? `${id}-p-error` : undefined}>
            <legend>Permissions</legend>
            <div className="permission-grid">
              {ALL_PERMISSIONS.map((p) => (
                <CheckboxField
                  key={p}
                  id={`${id}-${p}`}
                  label={p}
                  checked={chosen.has(p)}
                  onChange={(on) => toggle(p, on)}
                />
              ))}
            </div>
            <FieldError id={`${id}-p-error`} message={errors.permissions} />
          </fieldset>
          {role && (
            <p className="hint">
              Everyone holding this role gets the new permissions at once, wherever it is granted.
            </p>
          )}
        </>
      )}
    </FormDialog>
  );
}
