import type { GrantObjectType } from '@kelpie/shared-types';
import { useState } from 'react';
import { Dialog } from '../dialogs/Dialog';
import { PermissionsPanel } from './PermissionsPanel';

/** The Permissions panel of an object that has no page of its own (storage domains, networks): a
 * row action opening it in a dialog. */
export function PermissionsButton(props: {
  objectType: Exclude<GrantObjectType, 'system'>;
  objectId: string;
  objectName: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button small"
        aria-label={`Permissions on ${props.objectName}`}
        onClick={() => setOpen(true)}
      >
        Permissions
      </button>
      {open && (
        <Dialog title={`Permissions on ${props.objectName}`} wide onClose={() => setOpen(false)}>
          <PermissionsPanel {...props} />
        </Dialog>
      )}
    </>
  );
}
