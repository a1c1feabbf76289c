import type { LogicalNetwork } from '@kelpie/shared-types';
import { PermissionsButton } from '../admin/PermissionsButton';
import { useDatacenterNames } from '../api/names';
import { descriptionColumn, nameColumn, parentColumn } from '../lists/columns';
import { ListPage } from '../lists/ListPage';
import { usePagedList } from '../lists/usePagedList';
import { useListParams } from '../lists/useListParams';
import type { Column } from '../lists/VirtualTable';

export function NetworkList() {
  const { filter, set } = useListParams(['q', 'datacenterId', 'clusterId', 'sort']);
  const list = usePagedList<LogicalNetwork>('networks', filter);
  const dcs = useDatacenterNames();
  const columns: Column<LogicalNetwork>[] = [
    nameColumn(),
    parentColumn('Datacenter', dcs, (n) => n.datacenterId),
    {
      key: 'bridge',
      header: 'Bridge',
      width: '120px',
      sort: 'bridge',
      render: (n) => <code>{n.bridge}</code>,
    },
    { key: 'vlan', header: 'VLAN', width: '80px', sort: 'vlanId', render: (n) => n.vlanId ?? '–' },
    { key: 'mtu', header: 'MTU', width: '80px', render: (n) => n.mtu },
    { key: 'vm', header: 'VM network', width: '110px', render: (n) => (n.vmNetwork ? 'yes' : 'no') },
    descriptionColumn(),
    {
      key: 'actions',
      header: 'Actions',
      width: '130px',
      render: (n) => <PermissionsButton objectType="network" objectId={n.id} objectName={n.name} />,
    },
  ];
  return (
    <ListPage
      title="Logical networks"
      noun="networks"
      rows={list}
      columns={columns}
      filter={filter}
      set={set}
      search="Search networks"
      defaultSort="name:asc"
    />
  );
}
