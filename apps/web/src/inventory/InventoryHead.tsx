import { useState, type ReactNode } from 'react';
import { GuardedButton } from '../components/GuardedButton';
import { DeleteInventoryDialog } from './DeleteInventoryDialog';

/**
 * The head of a datacenter's or cluster's page: its title, the page's own buttons (`children`), then
 * Edit and Delete (disabled with the reason when `manage` says why not) and the dialogs they open.
 */
export function InventoryHead({
  kind,
  obj,
  title,
  titleId,
  manage,
  edit,
  children,
}: {
  kind: 'datacenters' | 'clusters';
  obj: { id: string; name: string };
  title: string;
  titleId: string;
  /** Why the caller may not edit or delete it (null: they may). */
  manage: string | null;
  /** The edit dialog. */
  edit: (onClose: () => void) => ReactNode;
  children?: ReactNode;
}) {
  const [open, setOpen] = useState<'edit' | 'delete' | null>(null);
  const close = () => setOpen(null);
  return (
    <>
      <header className="page-head">
        <h1 id={titleId}>{title}</h1>
        <div className="actions">
          {children}
          <GuardedButton reason={manage} small={false} onClick={() => setOpen('edit')}>
            Edit
          </GuardedButton>
          <GuardedButton reason={manage} small={false} danger onClick={() => setOpen('delete')}>
            Delete
          </GuardedButton>
        </div>
      </header>
      {open === 'edit' && edit(close)}
      {open === 'delete' && <DeleteInventoryDialog kind={kind} obj={obj} onClose={close} />}
    </>
  );
}
