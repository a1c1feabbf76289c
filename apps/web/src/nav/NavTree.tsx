import type { Cluster, DataCenter, Host, Vm } from '@kelpie/shared-types';
import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import { usePage } from '../api/hooks';
import { useSystemPermissions } from '../auth/AuthGate';
import { fmtInt } from '../components/format';
import { SearchInput } from '../components/SearchInput';
import { StatusIcon } from '../components/StatusBadge';

const CHILD_LIMIT = 50;

function Node({
  label,
  to,
  icon,
  level,
  defaultOpen = false,
  leaf = false,
  children,
}: {
  label: string;
  to: string;
  icon?: ReactNode;
  level: number;
  defaultOpen?: boolean;
  leaf?: boolean;
  children?: (open: boolean) => ReactNode;
}) {
  const [open, setOpen] = useState(defaultOpen);
  const groupId = useId();
  // The treeitem is the row alone (it owns its group through aria-owns): its name is then the text
  // it shows, not that text plus every descendant's.
  return (
    <li role="none" className="tree-item">
      <div
        role="treeitem"
        aria-level={level}
        aria-expanded={leaf ? undefined : open}
        aria-owns={!leaf && open && children ? groupId : undefined}
        aria-label={label}
        className="tree-row"
        style={{ paddingLeft: (level - 1) * 14 }}
      >
        {leaf ? (
          <span className="tree-toggle" aria-hidden="true" />
        ) : (
          <button
            type="button"
            className="tree-toggle"
            tabIndex={-1}
            aria-label={`${open ? 'Collapse' : 'Expand'} ${label}`}
            onClick={() => setOpen((o) => !o)}
            data-tree-toggle
          >
            {open ? '▾' : '▸'}
          </button>
        )}
        {icon}
        <NavLink to={to} end className="tree-link" data-tree-link>
          {label}
        </NavLink>
      </div>
      {!leaf && open && children && (
        <ul role="group" id={groupId} className="tree-group">
          {children(open)}
        </ul>
      )}
    </li>
  );
}

function More({ total, shown, to, level }: { total: number; shown: number; to: string; level: number }) {
  if (total <= shown) return null;
  return (
    <li role="none" className="tree-more" style={{ paddingLeft: level * 14 }}>
      <NavLink to={to}>all {fmtInt(total)}…</NavLink>
    </li>
  );
}

function Loading({ level }: { level: number }) {
  return (
    <li role="none" className="muted small" style={{ paddingLeft: level * 14 + 18 }}>
      loading…
    </li>
  );
}

function VmLeaves({
  filter,
  level,
  moreTo,
}: {
  filter: Record<string, string>;
  level: number;
  moreTo: string;
}) {
  const { data } = usePage<Vm>('vms', filter, CHILD_LIMIT);
  if (!data) return <Loading level={level} />;
  if (!data.items.length)
    return (
      <li role="none" className="muted small" style={{ paddingLeft: level * 14 + 18 }}>
        no VMs
      </li>
    );
  return (
    <>
      {data.items.map((v) => (
        <Node
          key={v.id}
          label={v.name}
          to={`/vms/${v.id}`}
          level={level}
          leaf
          icon={<StatusIcon status={v.status} />}
        />
      ))}
      <More total={data.total} shown={data.items.length} to={moreTo} level={level} />
    </>
  );
}

function HostNodes({ clusterId, level }: { clusterId: string; level: number }) {
  const { data } = usePage<Host>('hosts', { clusterId }, CHILD_LIMIT);
  if (!data) return <Loading level={level} />;
  return (
    <>
      {data.items.map((h) => (
        <Node
          key={h.id}
          label={h.name}
          to={`/hosts/${h.id}`}
          level={level}
          icon={<StatusIcon status={h.status} />}
        >
          {() => <VmLeaves filter={{ hostId: h.id }} level={level + 1} moreTo={`/vms?hostId=${h.id}`} />}
        </Node>
      ))}
      <More total={data.total} shown={data.items.length} to={`/hosts?clusterId=${clusterId}`} level={level} />
    </>
  );
}

function ClusterNodes({ datacenterId, level }: { datacenterId: string; level: number }) {
  const { data } = usePage<Cluster>('clusters', { datacenterId }, CHILD_LIMIT);
  if (!data) return <Loading level={level} />;
  return (
    <>
      {data.items.map((c) => (
        <Node
          key={c.id}
          label={c.name}
          to={`/clusters/${c.id}`}
          level={level}
          defaultOpen
          icon={
            <span className="tree-icon" aria-hidden="true">
              ⬡
            </span>
          }
        >
          {() => (
            <>
              <HostNodes clusterId={c.id} level={level + 1} />
              <Node
                label={`VMs of ${c.name}`}
                to={`/vms?clusterId=${c.id}`}
                level={level + 1}
                defaultOpen
                icon={
                  <span className="tree-icon" aria-hidden="true">
                    ▣
                  </span>
                }
              >
                {() => (
                  <VmLeaves
                    filter={{ clusterId: c.id }}
                    level={level + 2}
                    moreTo={`/vms?clusterId=${c.id}`}
                  />
                )}
              </Node>
            </>
          )}
        </Node>
      ))}
    </>
  );
}

function SearchResults({ q }: { q: string }) {
  const vms = usePage<Vm>('vms', { q }, 15);
  const hosts = usePage<Host>('hosts', { q }, 10);
  return (
    <div className="tree-search-results" aria-live="polite">
      <h3 className="small muted">Hosts ({hosts.data ? fmtInt(hosts.data.total) : '…'})</h3>
      <ul className="plain">
        {hosts.data?.items.map((h) => (
          <li key={h.id}>
            <StatusIcon status={h.status} /> <NavLink to={`/hosts/${h.id}`}>{h.name}</NavLink>
          </li>
        ))}
      </ul>
      <h3 className="small muted">VMs ({vms.data ? fmtInt(vms.data.total) : '…'})</h3>
      <ul className="plain">
        {vms.data?.items.map((v) => (
          <li key={v.id}>
            <StatusIcon status={v.status} /> <NavLink to={`/vms/${v.id}`}>{v.name}</NavLink>
          </li>
        ))}
      </ul>
      {vms.data && vms.data.total > vms.data.items.length && (
        <NavLink to={`/vms?q=${encodeURIComponent(q)}`}>all matching VMs…</NavLink>
      )}
    </div>
  );
}

/** Arrow keys move between the visible tree links; right/left expand/collapse. */
function onTreeKey(e: KeyboardEvent<HTMLUListElement>) {
  const links = [...e.currentTarget.querySelectorAll<HTMLAnchorElement>('[data-tree-link]')];
  const i = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (i < 0) return;
  const item = links[i].closest('[role=treeitem]');
  const toggle = item?.querySelector<HTMLButtonElement>(':scope > [data-tree-toggle]');
  if (e.key === 'ArrowDown') links[Math.min(i + 1, links.length - 1)].focus();
  else if (e.key === 'ArrowUp') links[Math.max(i - 1, 0)].focus();
  else if (e.key === 'ArrowRight' && item?.getAttribute('aria-expanded') === 'false') toggle?.click();
  else if (e.key === 'ArrowLeft' && item?.getAttribute('aria-expanded') === 'true') toggle?.click();
  else return;
  e.preventDefault();
}

export function NavTree() {
  const [q, setQ] = useState<string | undefined>();
  const { data, error } = usePage<DataCenter>('datacenters', {}, CHILD_LIMIT);
  const admin = useSystemPermissions().has('user.manage');
  return (
    <nav className="sidebar" id="sidebar" aria-label="Inventory">
      <div className="sidebar-search">
        <SearchInput
          label="Search hosts and VMs"
          value={q}
          onChange={setQ}
          placeholder="Search hosts and VMs…"
        />
      </div>
      <ul className="plain main-nav">
        <li>
          <NavLink to="/" end>
            Dashboard
          </NavLink>
        </li>
        <li>
          <NavLink to="/vms">Virtual machines</NavLink>
        </li>
        <li>
          <NavLink to="/hosts">Hosts</NavLink>
        </li>
        <li>
          <NavLink to="/storage-domains">Storage</NavLink>
        </li>
        <li>
          <NavLink to="/networks">Networks</NavLink>
        </li>
        <li>
          <NavLink to="/vnic-profiles">vNIC profiles</NavLink>
        </li>
        <li>
          <NavLink to="/mac-pools">MAC pools</NavLink>
        </li>
        <li>
          <NavLink to="/tasks">Tasks</NavLink>
        </li>
        <li>
          <NavLink to="/events">Events</NavLink>
        </li>
        <li>
          <NavLink to="/schedules">Schedules</NavLink>
        </li>
        {/* Only those who may administer users see where it is done. */}
        {admin && (
          <>
            <li>
              <NavLink to="/admin/users">Users</NavLink>
            </li>
            <li>
              <NavLink to="/admin/groups">Groups</NavLink>
            </li>
            <li>
              <NavLink to="/admin/roles">Roles</NavLink>
            </li>
          </>
        )}
        <li>
          <NavLink to="/tokens">My API tokens</NavLink>
        </li>
      </ul>
      {q ? (
        <SearchResults q={q} />
      ) : (
        <>
          {error && <p className="error small">{error.message}</p>}
          {data?.items.length === 0 && <p className="muted small">No datacenters yet.</p>}
          <ul
            role="tree"
            aria-label="Datacenters, clusters, hosts and VMs"
            className="tree"
            onKeyDown={onTreeKey}
          >
            {data?.items.map((dc) => (
              <Node
                key={dc.id}
                label={dc.name}
                to={`/datacenters/${dc.id}`}
                level={1}
                defaultOpen
                icon={
                  <span className="tree-icon" aria-hidden="true">
                    ▦
                  </span>
                }
              >
                {() => <ClusterNodes datacenterId={dc.id} level={2} />}
              </Node>
            ))}
          </ul>
        </>
      )}
    </nav>
  );
}
