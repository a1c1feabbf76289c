import type { Host, Vm } from '@kelpie/shared-types';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { usePage } from '../api/hooks';

/** Asks where to migrate a running VM (a host of its cluster, or the scheduler) and the bandwidth cap. */
export function MigrateDialog({
  vm,
  onSubmit,
  onClose,
}: {
  vm: Pick<Vm, 'id' | 'name' | 'clusterId' | 'hostId'>;
  onSubmit: (body: { targetHostId?: string; maxBandwidthMiBps?: number }) => void;
  onClose: () => void;
}) {
  const hosts = usePage<Host>('hosts', { clusterId: vm.clusterId }, 500);
  const [target, setTarget] = useState('');
  const [bandwidth, setBandwidth] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const candidates = (hosts.data?.items ?? []).filter((h) => h.id !== vm.hostId);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal?.();
  }, []);

  function submit(e: FormEvent) {
    e.preventDefault();
    const body: { targetHostId?: string; maxBandwidthMiBps?: number } = {};
    if (target) body.targetHostId = target;
    if (bandwidth.trim()) {
      const n = Number(bandwidth);
      if (!Number.isInteger(n) || n < 1) {
        setError('Max bandwidth must be a whole number of MiB/s (1 or more), or empty for no limit.');
        return;
      }
      body.maxBandwidthMiBps = n;
    }
    onSubmit(body);
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onCancel={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <h2 id={titleId}>Migrate {vm.name}</h2>
        <div className="field">
          <label htmlFor={`${titleId}-target`}>Target host</label>
          <select id={`${titleId}-target`} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">Let the scheduler choose</option>
            {candidates.map((h) => (
              <option key={h.id} value={h.id} disabled={h.status !== 'up'}>
                {h.name}
                {h.status !== 'up' ? ` (${h.status})` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${titleId}-bw`}>Max bandwidth (MiB/s)</label>
          <input
            id={`${titleId}-bw`}
            type="number"
            min={1}
            inputMode="numeric"
            value={bandwidth}
            placeholder="cluster policy"
            aria-invalid={error ? true : undefined}
            onChange={(e) => setBandwidth(e.target.value)}
          />
          <div className="hint">Empty: the cluster&apos;s migration policy.</div>
          {error && (
            <div className="field-error" role="alert">
              {error}
            </div>
          )}
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary">
            Migrate
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
