import type { RoleInfo } from '@kelpie/shared-types';
import { ListPage } from '../lists/ListPage';
import { useArrayRows } from '../lists/rowSource';
import { useListParams } from '../lists/useListParams';
import type { Column } from '../lists/VirtualTable';
import { adminApi, adminKeys } from './adminApi';

const columns: Column<RoleInfo>[] = [
  {
    key: 'name',
    header: 'Role',
    width: '180px',
    render: (r) => (
      <span className="strong">
        {r.name} {r.builtin ? <span className="tag">built in</span> : <span className="tag ok">custom</span>}
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
];

/** The roles a grant can give: the built-in ones and the custom ones, with what each allows. */
export function RolesPage() {
  const { filter, set } = useListParams(['q']);
  const rows = useArrayRows(
    adminKeys.roles,
    adminApi.roles,
    filter,
    (r) => `${r.name} ${r.permissions.join(' ')}`,
  );
  return (
    <ListPage
      title="Roles"
      noun="roles"
      rows={rows}
      columns={columns}
      filter={filter}
      set={set}
      search="Search roles or permissions"
    />
  );
}
