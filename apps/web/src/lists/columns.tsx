import { Link } from 'react-router';
import { fmtTime, fmtWhen } from '../components/format';
import { StatusBadge } from '../components/StatusBadge';
import type { Column } from './VirtualTable';

/** Column specs several lists share. */

/** The name, linking to the object's page when `to` is given. */
export function nameColumn<T extends { name: string }>(
  opts: { width?: string; sort?: boolean; to?: (row: T) => string } = {},
): Column<T> {
  const { width = 'minmax(140px, 1fr)', sort = true, to } = opts;
  return {
    key: 'name',
    header: 'Name',
    width,
    sort: sort ? 'name' : undefined,
    render: (r) =>
      to ? (
        <Link className="strong" to={to(r)}>
          {r.name}
        </Link>
      ) : (
        <span className="strong">{r.name}</span>
      ),
  };
}

export function descriptionColumn<T extends { description?: string | null }>(
  width = 'minmax(120px, 2fr)',
): Column<T> {
  return {
    key: 'desc',
    header: 'Description',
    width,
    hideBelow: 900,
    render: (r) => <span className="muted ellipsis">{r.description}</span>,
  };
}

export function statusColumn<T extends { status: string; statusReason?: string | null }>(
  width = '150px',
  sortable = true,
): Column<T> {
  return {
    key: 'status',
    header: 'Status',
    width,
    sort: sortable ? 'status' : undefined,
    render: (r) => <StatusBadge status={r.status} title={r.statusReason ?? undefined} />,
  };
}

/** The parent's name from a names map (`useDatacenterNames`…), linked when `path` is given. */
export function parentColumn<T>(
  header: string,
  names: ReadonlyMap<string, string>,
  idOf: (row: T) => string | null | undefined,
  path?: string,
): Column<T> {
  return {
    key: header.toLowerCase(),
    header,
    width: 'minmax(100px, 1fr)',
    render: (r) => {
      const id = idOf(r);
      if (!id) return '–';
      const name = names.get(id) ?? '…';
      return path ? <Link to={`/${path}/${id}`}>{name}</Link> : name;
    },
  };
}

/** A time in a list: short enough for a narrow column (`fmtWhen`), the full time as its title. */
export function timeColumn<T>(
  key: string,
  header: string,
  get: (row: T) => string | null | undefined,
  opts: { sort?: string; hideBelow?: number; width?: string } = {},
): Column<T> {
  return {
    key,
    header,
    width: opts.width ?? '130px',
    sort: opts.sort,
    hideBelow: opts.hideBelow,
    render: (r) => {
      const iso = get(r);
      return iso ? (
        <time dateTime={iso} title={fmtTime(iso)}>
          {fmtWhen(iso)}
        </time>
      ) : (
        '–'
      );
    },
  };
}
