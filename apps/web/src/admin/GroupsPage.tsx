import type { GroupInfo, UserInfo } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { GuardedButton } from '../components/GuardedButton';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { FormDialog } from '../dialogs/FormDialog';
import { SelectField, TextField } from '../forms/fields';
import { useArrayRows } from '../lists/rowSource';
import { useListParams } from '../lists/useListParams';
import type { Column } from '../lists/VirtualTable';
import { useUserAdminReason } from './access';
import { AdminListPage } from './AdminListPage';
import { adminApi, adminKeys, useAdminRefresh } from './adminApi';

type Asking = { kind: 'create' } | { kind: 'add' | 'remove' | 'delete'; group: GroupInfo } | null;

/** Groups and their members: a role granted to a group (in a Permissions tab) applies to every
 * member. Groups mapped from the identity provider are kept in step with it at each member's login. */
export function GroupsPage() {
  const { filter, set } = useListParams(['q']);
  const denied = useUserAdminReason();
  const users = useQuery({ queryKey: adminKeys.users, queryFn: adminApi.users, enabled: !denied });
  const byId = new Map((users.data ?? []).map((u) => [u.id, u]));
  const memberNames = (g: GroupInfo) => g.memberIds.map((id) => byId.get(id)?.username ?? '…');
  const rows = useArrayRows(
    adminKeys.groups,
    adminApi.groups,
    filter,
    (g) => `${g.name} ${memberNames(g).join(' ')}`,
  );
  const refresh = useAdminRefresh();
  const [asking, setAsking] = useState<Asking>(null);

  const columns: Column<GroupInfo>[] = [
    {
      key: 'name',
      header: 'Group',
      width: 'minmax(140px, 1fr)',
      render: (g) => <span className="strong">{g.name}</span>,
    },
    {
      key: 'members',
      header: 'Members',
      width: 'minmax(200px, 2fr)',
      render: (g) => <span className="ellipsis">{memberNames(g).sort().join(', ') || '–'}</span>,
    },
    {
      key: 'actions',
      header: 'Actions',
      width: '330px',
      render: (g) => (
        <span className="row-actions">
          <GuardedButton reason={denied} onClick={() => setAsking({ kind: 'add', group: g })}>
            Add member
          </GuardedButton>
          <GuardedButton
            reason={denied ?? (g.memberIds.length ? null : 'The group has no members.')}
            onClick={() => setAsking({ kind: 'remove', group: g })}
          >
            Remove member
          </GuardedButton>
          <GuardedButton reason={denied} danger onClick={() => setAsking({ kind: 'delete', group: g })}>
            Delete
          </GuardedButton>
        </span>
      ),
    },
  ];
  const close = () => setAsking(null);
  return (
    <AdminListPage
      title="Groups"
      noun="groups"
      rows={rows}
      columns={columns}
      filter={filter}
      set={set}
      search="Search groups or members"
      rowName={(g) => g.name}
      denied={denied}
      createLabel="New group"
      onCreate={() => setAsking({ kind: 'create' })}
    >
      {asking?.kind === 'create' && <CreateGroupDialog onDone={refresh} onClose={close} />}
      {(asking?.kind === 'add' || asking?.kind === 'remove') && (
        <MemberDialog
          mode={asking.kind}
          group={asking.group}
          users={(users.data ?? []).filter(
            (u) => asking.group.memberIds.includes(u.id) === (asking.kind === 'remove'),
          )}
          onDone={refresh}
          onClose={close}
        />
      )}
      {asking?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete group ${asking.group.name}?`}
          message={<p>The roles granted to the group go with it; its members stay users.</p>}
          confirmLabel="Delete group"
          danger
          onConfirm={() => adminApi.deleteGroup(asking.group.id).then(refresh)}
          onClose={close}
        />
      )}
    </AdminListPage>
  );
}

function CreateGroupDialog({ onDone, onClose }: { onDone: () => void; onClose: () => void }) {
  const id = useId();
  const [name, setName] = useState('');
  return (
    <FormDialog
      title="New group"
      submit="Create group"
      fields={['name']}
      onSubmit={() => adminApi.createGroup(name).then(onDone)}
      onClose={onClose}
    >
      {(errors) => (
        <TextField id={`${id}-n`} label="Name" value={name} onChange={setName} error={errors.name} />
      )}
    </FormDialog>
  );
}

function MemberDialog({
  mode,
  group,
  users,
  onDone,
  onClose,
}: {
  mode: 'add' | 'remove';
  group: GroupInfo;
  /** Those who may be chosen: non-members to add, members to remove. */
  users: UserInfo[];
  onDone: () => void;
  onClose: () => void;
}) {
  const id = useId();
  const [userId, setUserId] = useState('');
  const send = () =>
    (mode === 'add' ? adminApi.addMember(group.id, userId) : adminApi.removeMember(group.id, userId)).then(
      onDone,
    );
  return (
    <FormDialog
      title={mode === 'add' ? `Add a member to ${group.name}` : `Remove a member from ${group.name}`}
      submit={mode === 'add' ? 'Add member' : 'Remove member'}
      fields={['userId']}
      onSubmit={send}
      onClose={onClose}
    >
      {(errors) => (
        <SelectField
          id={`${id}-u`}
          label="User"
          value={userId}
          placeholder="choose a user"
          options={users.map((u) => ({ value: u.id, label: u.username }))}
          onChange={setUserId}
          hint={
            mode === 'add'
              ? "The group's roles apply to them at once."
              : 'The group’s roles stop applying to them at once.'
          }
          error={errors.userId}
        />
      )}
    </FormDialog>
  );
}
