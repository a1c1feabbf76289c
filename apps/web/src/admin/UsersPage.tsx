import type { RoleInfo, UserInfo } from '@kelpie/shared-types';
import { timeColumn } from '../lists/columns';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useCurrentUser } from '../auth/AuthGate';
import { ErrorBox } from '../components/ErrorBox';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { SelectField, TextField } from '../forms/fields';
import type { Column } from '../lists/VirtualTable';
import { useUserAdminReason } from './access';
import { AdminListPage } from './AdminListPage';
import { adminApi, adminKeys } from './adminApi';
import { useAdminList } from './useAdminList';
import { GuardedButton } from '../components/GuardedButton';
import { FormDialog } from '../dialogs/FormDialog';

type Asking = { kind: 'create' } | { kind: 'reset' | 'delete'; user: UserInfo } | null;

/** Local users: who they are, their roles on the system, and the administrator's actions. */
export function UsersPage() {
  const denied = useUserAdminReason();
  const me = useCurrentUser();
  const { filter, set, rows, refresh } = useAdminList(
    adminKeys.users,
    adminApi.users,
    (u) => `${u.username} ${u.displayName ?? ''}`,
  );
  const roles = useQuery({ queryKey: adminKeys.roles, queryFn: adminApi.roles, enabled: !denied });
  const grants = useQuery({
    queryKey: adminKeys.grants('system', null),
    queryFn: () => adminApi.grants('system', null),
    enabled: !denied,
  });
  const [asking, setAsking] = useState<Asking>(null);
  // A refused enable/disable (409: the last administrator) is said on the page, not swallowed.
  const [actionError, setActionError] = useState<unknown>(null);
  const roleName = new Map((roles.data ?? []).map((r) => [r.id, r.name]));
  const systemRoles = (u: UserInfo) =>
    (grants.data ?? [])
      .filter((g) => g.principalType === 'user' && g.principalId === u.id)
      .map((g) => roleName.get(g.roleId) ?? '…')
      .join(', ') || '–';
  const selfReason = (u: UserInfo, what: string) =>
    denied ?? (u.id === me?.id ? `You cannot ${what} yourself.` : null);

  const columns: Column<UserInfo>[] = [
    {
      key: 'name',
      header: 'Username',
      width: 'minmax(140px, 1fr)',
      render: (u) => (
        <span>
          <span className="strong">{u.username}</span>
          {u.externalIssuer && (
            <span className="tag" title={`Logs in with ${u.externalIssuer}`}>
              {' '}
              external
            </span>
          )}
        </span>
      ),
    },
    { key: 'display', header: 'Name', width: 'minmax(120px, 1fr)', render: (u) => u.displayName ?? '–' },
    { key: 'roles', header: 'System roles', width: 'minmax(140px, 1fr)', render: systemRoles },
    {
      key: 'state',
      header: 'State',
      width: '100px',
      render: (u) => (
        <span className={`tag${u.disabled ? ' warn' : ' ok'}`}>{u.disabled ? 'disabled' : 'enabled'}</span>
      ),
    },
    timeColumn('created', 'Created', (u) => u.createdAt),
    {
      key: 'actions',
      header: 'Actions',
      width: '300px',
      render: (u) => (
        <span className="row-actions">
          <GuardedButton
            reason={u.disabled ? denied : selfReason(u, 'disable')}
            onClick={() => {
              setActionError(null);
              adminApi.setDisabled(u.id, !u.disabled).then(refresh, setActionError);
            }}
          >
            {u.disabled ? 'Enable' : 'Disable'}
          </GuardedButton>
          <GuardedButton
            reason={
              denied ?? (u.externalIssuer ? 'Their password is managed by the identity provider.' : null)
            }
            onClick={() => setAsking({ kind: 'reset', user: u })}
          >
            Reset password
          </GuardedButton>
          <GuardedButton
            reason={selfReason(u, 'delete')}
            danger
            onClick={() => setAsking({ kind: 'delete', user: u })}
          >
            Delete
          </GuardedButton>
        </span>
      ),
    },
  ];
  return (
    <AdminListPage
      title="Users"
      noun="users"
      rows={rows}
      columns={columns}
      filter={filter}
      set={set}
      search="Search users"
      rowName={(u) => u.username}
      denied={denied}
      createLabel="New user"
      onCreate={() => setAsking({ kind: 'create' })}
    >
      <ErrorBox error={actionError} title="Not changed" />
      {asking?.kind === 'create' && (
        <CreateUserDialog roles={roles.data ?? []} onDone={refresh} onClose={() => setAsking(null)} />
      )}
      {asking?.kind === 'reset' && <ResetPasswordDialog user={asking.user} onClose={() => setAsking(null)} />}
      {asking?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete user ${asking.user.username}?`}
          message={<p>Their grants, sessions and API tokens go with them; the audit log keeps their name.</p>}
          confirmLabel="Delete user"
          danger
          onConfirm={() => adminApi.deleteUser(asking.user.id).then(refresh)}
          onClose={() => setAsking(null)}
        />
      )}
    </AdminListPage>
  );
}

function CreateUserDialog({
  roles,
  onDone,
  onClose,
}: {
  roles: RoleInfo[];
  onDone: () => void;
  onClose: () => void;
}) {
  const id = useId();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('');
  const submit = async () => {
    const created = await adminApi.createUser({ username, password, displayName: displayName || undefined });
    // The role is a grant on the system, made once the user exists.
    if (role)
      await adminApi.grant({
        principalType: 'user',
        principalId: created.body.id,
        role,
        objectType: 'system',
        objectId: null,
      });
    onDone();
  };
  return (
    <FormDialog
      title="New user"
      submit="Create user"
      fields={['username', 'displayName', 'password', 'role']}
      onSubmit={submit}
      onClose={onClose}
    >
      {(errors) => (
        <>
          <TextField
            id={`${id}-u`}
            label="Username"
            value={username}
            onChange={setUsername}
            autoComplete="off"
            error={errors.username}
          />
          <TextField
            id={`${id}-d`}
            label="Display name"
            value={displayName}
            onChange={setDisplayName}
            error={errors.displayName}
          />
          <TextField
            id={`${id}-p`}
            label="Initial password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            hint="At least 12 characters, not containing the username."
            error={errors.password}
          />
          <SelectField
            id={`${id}-r`}
            label="Role on the system"
            value={role}
            placeholder="none (grant roles on objects later)"
            options={roles.map((r) => ({ value: r.name, label: r.name }))}
            onChange={setRole}
            error={errors.role}
          />
        </>
      )}
    </FormDialog>
  );
}

function ResetPasswordDialog({ user, onClose }: { user: UserInfo; onClose: () => void }) {
  const id = useId();
  const [password, setPassword] = useState('');
  return (
    <FormDialog
      title={`Reset the password of ${user.username}`}
      submit="Set password"
      fields={['password']}
      onSubmit={() => adminApi.resetPassword(user.id, password)}
      onClose={onClose}
    >
      {(errors) => (
        <TextField
          id={`${id}-p`}
          label="New password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          hint="Their sessions end; tell them the new password over a separate channel."
          error={errors.password}
        />
      )}
    </FormDialog>
  );
}
