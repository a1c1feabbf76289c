import type { StorageDomain } from '@kelpie/shared-types';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useDetail } from '../api/hooks';
import { useDatacenterNames } from '../api/names';
import { ErrorBox } from '../components/ErrorBox';
import { StatusBadge } from '../components/StatusBadge';
import { ImagesPanel } from '../storage/ImagesPanel';
import { StorageActions } from '../storage/StorageActions';
import { StorageHostsTable } from '../storage/StorageHostsTable';

const TABS = [
  { key: 'hosts', label: 'Hosts' },
  { key: 'images', label: 'Images' },
] as const;
type Tab = (typeof TABS)[number]['key'];

/** A storage domain: its status and lifecycle actions, how each host sees it, and its images. The tab
 * is in the address (`?tab=images`) so it can be linked to. */
export function StorageDomainDetail() {
  const { id } = useParams();
  const { data: sd, error } = useDetail<StorageDomain>('storage-domains', id);
  const dcs = useDatacenterNames();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'images' ? 'images' : 'hosts';
  const [focusTab, setFocusTab] = useState<Tab | null>(null);
  if (error)
    return (
      <section className="page">
        <ErrorBox error={error} />
      </section>
    );
  if (!sd) return <p className="page">Loading storage domain…</p>;
  const select = (t: Tab) => {
    setParams(t === 'hosts' ? {} : { tab: t }, { replace: true });
    setFocusTab(t);
  };
  return (
    <section className="page" aria-labelledby="sd-title">
      <header className="page-head">
        <div>
          <div className="crumbs">
            <Link to="/storage-domains">Storage domains</Link>
          </div>
          <h1 id="sd-title">Storage domain {sd.name}</h1>
          <p className="muted">
            {sd.type.toUpperCase()} · <StatusBadge status={sd.status} /> ·{' '}
            {sd.status === 'detached' ? (
              'no datacenter'
            ) : (
              <Link to={`/datacenters/${sd.datacenterId}`}>{dcs.get(sd.datacenterId) ?? 'datacenter'}</Link>
            )}
            {sd.description ? ` · ${sd.description}` : ''}
          </p>
        </div>
        <div className="actions">
          <StorageActions sd={sd} onDeleted={() => void navigate('/storage-domains')} />
        </div>
      </header>
      <div
        className="actions tabs"
        role="tablist"
        aria-label="Storage domain views"
        onKeyDown={(e) => {
          if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
          const i = TABS.findIndex((t) => t.key === tab);
          select(TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!.key);
        }}
      >
        {TABS.map((t) => (
          <button
            key={t.key}
            type="button"
            role="tab"
            id={`sd-tab-${t.key}`}
            aria-selected={tab === t.key}
            aria-controls={`sd-panel-${t.key}`}
            tabIndex={tab === t.key ? 0 : -1}
            className={`button small${tab === t.key ? ' primary' : ''}`}
            ref={(el) => {
              if (el && focusTab === t.key) {
                el.focus();
                setFocusTab(null);
              }
            }}
            onClick={() => select(t.key)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="panel" role="tabpanel" id={`sd-panel-${tab}`} aria-labelledby={`sd-tab-${tab}`}>
        {tab === 'hosts' ? <StorageHostsTable sd={sd} /> : <ImagesPanel sd={sd} />}
      </div>
    </section>
  );
}
