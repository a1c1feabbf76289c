import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, read } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { StatusBadge } from '../components/StatusBadge';
import { valueLabel } from '../text/humanize';

const pct = (n: number | null) => (n === null ? '–' : `${Math.round(n)} %`);
/** Coloured like these statuses: over a threshold warns, under one (power saving) is informative. */
const STATE_TONE = { over: 'warning', under: 'info', ok: 'up', excluded: 'cancelled' } as const;

/**
 * What the cluster's balancing would do now (the engine's dry run: each host against the policy's
 * thresholds and the next moves, also when periodic balancing is off) and the VMs that break an
 * affinity group where they run. Read again every 15 s.
 */
export function BalancePanel({ clusterId }: { clusterId: string }) {
  const path = { params: { path: { id: clusterId } } };
  const plan = useQuery({
    queryKey: ['clusters', clusterId, 'balance-plan'],
    queryFn: () => read(api.GET('/api/v1/clusters/{id}/balance/plan', path)),
    refetchInterval: 15_000,
  });
  const violations = useQuery({
    queryKey: ['clusters', clusterId, 'affinity-violations'],
    queryFn: () => read(api.GET('/api/v1/clusters/{id}/affinity-violations', path)),
    refetchInterval: 15_000,
  });
  const p = plan.data;
  return (
    <section className="panel" aria-labelledby="cluster-balance">
      <h2 id="cluster-balance">Balance</h2>
      <ErrorBox error={plan.error ?? violations.error} />
      {!p ? (
        !plan.error && <p className="muted">Computing the plan…</p>
      ) : (
        <>
          <p>
            <span data-field="balance-summary">{p.summary}</span>{' '}
            <span className="muted">
              ({valueLabel(p.policy)} policy; periodic balancing {p.balancingEnabled ? 'on' : 'off'})
            </span>
          </p>
          <table className="table" aria-label="Hosts against the policy's thresholds">
            <thead>
              <tr>
                <th>Host</th>
                <th>State</th>
                <th>CPU</th>
                <th>Memory</th>
                <th>Running VMs</th>
              </tr>
            </thead>
            <tbody>
              {p.hosts.map((h) => (
                <tr key={h.hostId}>
                  <td>
                    <Link to={`/hosts/${h.hostId}`}>{h.hostName}</Link>
                  </td>
                  <td>
                    <StatusBadge status={h.state} tone={STATE_TONE[h.state]} />
                    {h.excludedBecause && <span className="muted"> {h.excludedBecause}</span>}
                  </td>
                  <td>{pct(h.cpuPercent)}</td>
                  <td>{pct(h.memoryPercent)}</td>
                  <td>{h.runningVms}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Next migrations</h3>
          {p.moves.length === 0 ? (
            <p className="muted">
              None: {p.withinThresholds ? 'every host is within the thresholds.' : 'no move helps.'}
            </p>
          ) : (
            <ol aria-label="Next migrations">
              {p.moves.map((m) => (
                <li key={m.vmId}>
                  <Link to={`/vms/${m.vmId}`}>{m.vmName}</Link> from {m.fromHostName} to {m.toHostName}{' '}
                  <span className="muted">— {m.reason}</span>
                </li>
              ))}
            </ol>
          )}
          {p.coolingDown.length > 0 && (
            <p className="muted">
              {p.coolingDown.length} VM{p.coolingDown.length === 1 ? '' : 's'} left alone: migrated within the
              cool-down.
            </p>
          )}
          {p.powerDownCandidates.length > 0 && (
            <p>Hosts that can be powered down: {p.powerDownCandidates.map((h) => h.hostName).join(', ')}</p>
          )}
        </>
      )}
      <h3>Affinity violations</h3>
      {violations.data &&
        (violations.data.length === 0 ? (
          <p className="muted">No VM breaks an affinity group.</p>
        ) : (
          <table className="table" aria-label="Affinity violations">
            <thead>
              <tr>
                <th>VM</th>
                <th>Group</th>
                <th>On host</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {violations.data.map((v) => (
                <tr key={`${v.groupId}-${v.vmId}`}>
                  <td>
                    <Link to={`/vms/${v.vmId}`}>{v.vmName}</Link>
                  </td>
                  <td>
                    {v.groupName} <span className="muted">({v.enforcing ? 'enforcing' : 'soft'})</span>
                  </td>
                  <td>
                    <Link to={`/hosts/${v.hostId}`}>{v.hostName}</Link>
                  </td>
                  <td>{v.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
