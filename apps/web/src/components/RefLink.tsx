import { Link } from 'react-router';
import { humanize } from './format';
import type { ObjectRef } from '@kelpie/shared-types';

const PATHS: Partial<Record<ObjectRef['type'], string>> = {
  vm: 'vms',
  host: 'hosts',
  cluster: 'clusters',
  datacenter: 'datacenters',
};

export function RefLink({ r }: { r: ObjectRef }) {
  const base = PATHS[r.type];
  const text = r.name ?? `${humanize(r.type)} ${r.id.slice(0, 8)}`;
  return base ? <Link to={`/${base}/${r.id}`}>{text}</Link> : <span>{text}</span>;
}
