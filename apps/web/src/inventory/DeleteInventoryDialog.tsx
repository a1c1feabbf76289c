import type { ObjectRef } from '@kelpie/shared-types';
import { useNavigate } from 'react-router';
import { ApiError, errorMessage } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { RefLink } from '../components/RefLink';
import { Dialog } from '../dialogs/Dialog';
import { DialogButtons } from '../dialogs/DialogButtons';
import { humanize } from '../components/format';
import { useDeleteInventory } from './inventoryApi';

/** The objects a refused delete names (409 has_children), as links to each. */
export function blockingChildren(err: unknown): ObjectRef[] {
  if (!(err instanceof ApiError) || err.body?.code !== 'has_children') return [];
  return (err.body.details ?? []).flatMap((d) => (d.ref ? [d.ref as ObjectRef] : []));
}

/** Asks before deleting a datacenter or cluster; refused, it lists what still refers to it (each a
 * link) and stays open. Deleted, it goes to the list. */
export function DeleteInventoryDialog({
  kind,
  obj,
  onClose,
}: {
  kind: 'datacenters' | 'clusters';
  obj: { id: string; name: string };
  onClose: () => void;
}) {
  const del = useDeleteInventory(kind, obj);
  const navigate = useNavigate();
  const noun = kind === 'datacenters' ? 'datacenter' : 'cluster';
  const children = blockingChildren(del.error);
  return (
    <Dialog title={`Delete ${noun} ${obj.name}?`} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          del.mutateAsync().then(
            () => navigate(`/${kind}`),
            () => undefined,
          );
        }}
      >
        <p>
          The {noun} is removed from the inventory. It must be empty: the engine refuses while anything still
          belongs to it.
        </p>
        {children.length > 0 ? (
          <div className="error-box" role="alert">
            <strong>{errorMessage(del.error)}</strong>
            <ul>
              {children.map((r) => (
                <li key={r.id}>
                  {humanize(r.type)} <RefLink r={r} />
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <ErrorBox error={del.error} />
        )}
        <DialogButtons submit="Delete" danger busy={del.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
