import './console.css';
import type { Vm } from '@kelpie/shared-types';
import { useRef } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useDetail } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { StatusBadge } from '../components/StatusBadge';
import { SerialConsole } from './SerialConsole';
import { VncConsole } from './VncConsole';

/** `/vms/:id/console` (graphical) and `/vms/:id/console?kind=serial`. */
export function ConsolePage() {
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const kind = params.get('kind') === 'serial' ? 'serial' : 'vnc';
  const { data, error, isLoading } = useDetail<Vm>('vms', id);
  const last = useRef<Vm | undefined>(undefined);
  if (data) last.current = data;
  const vm = data ?? last.current;
  if (!id || (!vm && isLoading)) return <p className="page">Loading VM…</p>;
  if (!vm)
    return (
      <section className="page">
        <h1>Console</h1>
        <ErrorBox error={error ?? new Error('VM not found')} />
      </section>
    );
  // From here on the console stays mounted even if the VM record flickers (an external VM that
  // migrates is re-recorded by its new host): only the user ends or restarts a session.
  return (
    <section className="page console-page" aria-labelledby="console-title">
      <header className="page-head">
        <div>
          <div className="crumbs">
            <Link to="/vms">VMs</Link> / <Link to={`/vms/${vm.id}`}>{vm.name}</Link> /
          </div>
          <h1 id="console-title">
            Console of {vm.name} <StatusBadge status={vm.status} title={vm.statusReason} />
          </h1>
        </div>
        <div className="actions" role="tablist" aria-label="Console type">
          <button
            type="button"
            role="tab"
            aria-selected={kind === 'vnc'}
            className={`button small${kind === 'vnc' ? ' primary' : ''}`}
            onClick={() => setParams({})}
          >
            Graphical (VNC)
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={kind === 'serial'}
            className={`button small${kind === 'serial' ? ' primary' : ''}`}
            onClick={() => setParams({ kind: 'serial' })}
          >
            Serial
          </button>
        </div>
      </header>
      {/* Not gated on the live status: a session must survive transient states (a migration), and
          the engine answers a ticket request for a stopped VM with a message that is shown. */}
      {kind === 'vnc' ? (
        <VncConsole key={`vnc-${id}`} vmId={id} vmName={vm.name} />
      ) : (
        <SerialConsole key={`serial-${id}`} vmId={id} />
      )}
    </section>
  );
}
