import type { RoleInfo } from '@kelpie/shared-types';
import { useState } from 'react';
import { GuardedButton } from '../components/GuardedButton';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import type { Column } from '../lists/VirtualTable';
import { useUserAdminReason } from './access';
import { AdminListPage } from './AdminListPage';
import { adminApi, adminKeys } from './adminApi';
import { useAdminList } from './useAdminList';
import { RoleDialog } from './RoleDialog';

const BUILT_IN = 'Built-in roles cannot be changed: create a custom role instead.';

type Asking = { kind: 'create' } | { kind: 'edit' | 'delete'; role: RoleInfo } | null;

/** The roles a grant can give: the built-in ones and the custom ones, with what each allows;
 * custom roles are made, changed and removed here. */
export function RolesPage() {
  const denied = useUserAdminReason('change roles');
  const { filter, set, rows, refresh } = useAdminList(
    adminKeys.roles,
    adminApi.roles,
    (r) => `${r.name} ${r.permissions.join(' ')}`,
  );
  const [asking, setAsking] = useState<Asking>(null);
  const close = () => setAsking(null);

  const columns: Column<RoleInfo>[] = [
    {
      key: 'name',
      header: 'Role',
      width: '260px',
      render: (r) => (
        <span className="strong">
          {r.name}{' '}
          {r.builtin ? <span className="tag">built in</span> : <span className="tag ok">custom</span>}
        </span>
      ),
    },
    {
      key: 'perms',
      header: 'Permissions',
      width: 'minmax(300px, 1fr)',
      render: (r) => (
        <span className="ellipsis" title={r.permissions.join(', ')}>
          {r.permissions.join(', ')}
        </span>
      ),
    },
    {
      key: 'actions',
      header: 'Actions',
      width: '170px',
      render: (r) => (
        <span className="row-actions">
          <GuardedButton
            reason={denied ?? (r.builtin ? BUILT_IN : null)}
            onClick={() => setAsking({ kind: 'edit', role: r })}
          >
            Edit
          </GuardedButton>
          <GuardedButton
            reason={denied ?? (r.builtin ? BUILT_IN : null)}
            danger
            onClick={() => setAsking({ kind: 'delete', role: r })}
          >
            Delete
          </GuardedButton>
        </span>
      ),
    },
  ];
  return (
    <AdminListPage
      title="Roles"
      noun="roles"
      rows={rows}
      columns={columns}
      filter={filter}
      set={set}
      search="Search roles or permissions"
      rowName={(r) => r.name}
      denied={denied}
      createLabel="New role"
      onCreate={() => setAsking({ kind: 'create' })}
    >
      {asking?.kind === 'create' && <RoleDialog onDone={refresh} onClose={close} />}
      {asking?.kind === 'edit' && <RoleDialog role={asking.role} onDone={refresh} onClose={close} />}
      {asking?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete role ${asking.role.name}?`}
          message={<p>A role still granted somewhere cannot be deleted: remove its grants first.</p>}
          confirmLabel="Delete role"
          danger
          onConfirm={() => adminApi.deleteRole(asking.role.id).then(refresh)}
          onClose={close}
        />
      )}
    </AdminListPage>
  );
}
