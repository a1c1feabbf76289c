import type { GrantInfo, GrantObjectType } from '@kelpie/shared-types';
import { timeColumn } from '../lists/columns';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ErrorBox } from '../components/ErrorBox';
import { ListPage } from '../lists/ListPage';
import { useArrayRows } from '../lists/rowSource';
import type { Column } from '../lists/VirtualTable';
import { useUserAdminReason } from './access';
import { adminApi, adminKeys, useAdminRefresh } from './adminApi';
import { GuardedButton } from '../components/GuardedButton';
import { RefLink } from '../components/RefLink';
import { useGrantObjectNames } from './useGrantObjectNames';

/**
 * Who holds which role on one object (datacenter, cluster, host, VM): grant a role to a user or a
 * group (every member holds it), remove a grant. Grants made higher up the tree also apply here:
 * they are listed read-only below (changed where they are made).
 */
export function PermissionsPanel({
  objectType,
  objectId,
  objectName,
}: {
  objectType: Exclude<GrantObjectType, 'system'>;
  objectId: string;
  objectName: string;
}) {
  const denied = useUserAdminReason(`see or change who may act on ${objectName}`);
  const rows = useArrayRows<GrantInfo>(
    adminKeys.grants(objectType, objectId),
    () => (denied ? Promise.resolve([]) : adminApi.grants(objectType, objectId)),
    {},
    () => '',
  );
  const users = useQuery({ queryKey: adminKeys.users, queryFn: adminApi.users, enabled: !denied });
  const groups = useQuery({ queryKey: adminKeys.groups, queryFn: adminApi.groups, enabled: !denied });
  const inherited = useQuery({
    queryKey: adminKeys.inheritedGrants(objectType, objectId),
    queryFn: () => adminApi.inheritedGrants(objectType, objectId),
    enabled: !denied,
  });
  const roles = useQuery({ queryKey: adminKeys.roles, queryFn: adminApi.roles });
  const refresh = useAdminRefresh();
  const [removeError, setRemoveError] = useState<unknown>(null);
  const objectNames = useGrantObjectNames(inherited.data);
  const userName = new Map((users.data ?? []).map((u) => [u.id, u.username]));
  const groupName = new Map((groups.data ?? []).map((g) => [g.id, g.name]));
  const roleName = new Map((roles.data ?? []).map((r) => [r.id, r.name]));
  const who = (g: GrantInfo) =>
    g.principalType === 'user'
      ? (userName.get(g.principalId) ?? '…')
      : `group ${groupName.get(g.principalId) ?? '…'}`;
  const columns: Column<GrantInfo>[] = [
    { key: 'who', header: 'User or group', width: 'minmax(140px, 1fr)', render: who },
    {
      key: 'role',
      header: 'Role',
      width: 'minmax(120px, 1fr)',
      render: (g) => roleName.get(g.roleId) ?? '…',
    },
    timeColumn('since', 'Granted', (g) => g.createdAt),
    {
      key: 'remove',
      header: 'Actions',
      width: '110px',
      render: (g) => (
        <GuardedButton
          reason={denied}
          danger
          onClick={() => {
            setRemoveError(null);
            adminApi.revokeGrant(g.id).then(refresh, setRemoveError);
          }}
        >
          Remove
        </GuardedButton>
      ),
    },
  ];
  return (
    <ListPage
      embedded
      title="Permissions"
      noun="grants on this object"
      rows={rows}
      columns={columns}
      filter={{}}
      set={() => undefined}
    >
      {denied ? (
        <p className="notice">{denied}</p>
      ) : (
        <AddGrantForm
          objectType={objectType}
          objectId={objectId}
          principals={[
            ...(users.data ?? []).map((u) => ({ value: `user:${u.id}`, label: u.username })),
            ...(groups.data ?? []).map((g) => ({ value: `group:${g.id}`, label: `group ${g.name}` })),
          ]}
          roles={(roles.data ?? []).map((r) => r.name)}
          onDone={refresh}
        />
      )}
      <ErrorBox error={removeError} title="Not removed" />
      {!!inherited.data?.length && (
        <section aria-label="Inherited grants" className="inherited-grants">
          <h3>Inherited from above</h3>
          <p className="muted small">These apply here too; change them where they are granted.</p>
          <ul>
            {inherited.data.map((g) => (
              <li key={g.id}>
                {who(g)}: {roleName.get(g.roleId) ?? '…'} on{' '}
                {g.objectType === 'system' || !g.objectId ? (
                  'the system'
                ) : (
                  <RefLink r={{ type: g.objectType, id: g.objectId, name: objectNames.get(g.objectId) }} />
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </ListPage>
  );
}

function AddGrantForm({
  objectType,
  objectId,
  principals,
  roles,
  onDone,
}: {
  objectType: Exclude<GrantObjectType, 'system'>;
  objectId: string;
  /** Users and groups, valued `user:<id>` or `group:<id>`. */
  principals: { value: string; label: string }[];
  roles: string[];
  onDone: () => void;
}) {
  const id = useId();
  const [user, setUser] = useState('');
  const [role, setRole] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="inline-form"
      aria-label="Grant a role"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        const [principalType, principalId] = user.split(':') as ['user' | 'group', string];
        adminApi
          .grant({ principalType, principalId, role, objectType, objectId })
          .then(() => {
            setUser('');
            onDone();
          }, setError)
          .finally(() => setBusy(false));
      }}
    >
      <label htmlFor={`${id}-u`}>User or group</label>
      <select id={`${id}-u`} value={user} onChange={(e) => setUser(e.target.value)}>
        <option value="">choose…</option>
        {principals.map((u) => (
          <option key={u.value} value={u.value}>
            {u.label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-r`}>Role</label>
      <select id={`${id}-r`} value={role} onChange={(e) => setRole(e.target.value)}>
        <option value="">choose…</option>
        {roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button type="submit" className="button small primary" disabled={busy || !user || !role}>
        Grant
      </button>
      <ErrorBox error={error} title="Not granted" />
    </form>
  );
}
