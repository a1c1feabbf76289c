import type { Host, HostStatsSample, VmStatsSample } from '@kelpie/shared-types';
import { useQueries, useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client';
import { usePage } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { fmtMib } from '../components/format';
import { LineChart } from './LineChart';
import { fleetSeries, hostSeries, vmSeries } from './series';

/** Agents report every 10 s by default: refetch at that pace (the stream carries no stats). */
export const STATS_REFRESH_MS = 10_000;
const SAMPLES = 60;
/** The fleet chart reads this many hosts' histories (one request each). */
export const FLEET_CHART_HOSTS = 20;

const pct = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)}%`;

function useStats<T>(kind: 'hosts' | 'vms', id: string) {
  return useQuery({
    queryKey: ['stats', kind, id],
    queryFn: () => apiGet<T[]>(`/${kind}/${id}/stats?limit=${SAMPLES}`),
    refetchInterval: STATS_REFRESH_MS,
  });
}

export function HostCharts({ hostId }: { hostId: string }) {
  const { data, error } = useStats<HostStatsSample>('hosts', hostId);
  const s = hostSeries(data ?? []);
  return (
    <section className="panel span-2" aria-labelledby="host-charts">
      <h2 id="host-charts">CPU and memory</h2>
      <ErrorBox error={error} />
      <div className="charts">
        <LineChart title="Host CPU use" points={s.cpu} max={100} format={pct} />
        <LineChart title="Host memory in use" points={s.mem} max={100} format={pct} />
      </div>
    </section>
  );
}

export function VmCharts({ vmId, vcpus, memoryMib }: { vmId: string; vcpus: number; memoryMib: number }) {
  const { data, error } = useStats<VmStatsSample>('vms', vmId);
  const s = vmSeries(data ?? [], vcpus);
  return (
    <section className="panel" aria-labelledby="vm-charts">
      <h2 id="vm-charts">CPU and memory</h2>
      <ErrorBox error={error} />
      <div className="charts">
        <LineChart
          title="VM CPU use"
          points={s.cpu}
          max={100}
          format={pct}
          emptyText="No samples yet (the VM reports while it runs)."
        />
        <LineChart
          title="VM memory (resident)"
          points={s.mem}
          max={memoryMib}
          format={(v) => fmtMib(v)}
          emptyText="No samples yet (the VM reports while it runs)."
        />
      </div>
    </section>
  );
}

/** Fleet CPU and memory use over time, from the first hosts that are up. */
export function FleetCharts() {
  const hosts = usePage<Host>('hosts', { status: 'up' }, FLEET_CHART_HOSTS);
  const ids = (hosts.data?.items ?? []).map((h) => h.id);
  const stats = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['stats', 'hosts', id],
      queryFn: () => apiGet<HostStatsSample[]>(`/hosts/${id}/stats?limit=${SAMPLES}`),
      refetchInterval: STATS_REFRESH_MS,
    })),
  });
  const s = fleetSeries(stats.map((q) => q.data ?? []));
  const total = hosts.data?.total ?? 0;
  return (
    <div className="charts" aria-label="Fleet use over time">
      <LineChart title="Fleet CPU use" points={s.cpu} max={100} format={pct} />
      <LineChart title="Fleet memory in use" points={s.mem} max={100} format={pct} />
      {total > ids.length && (
        <p className="muted small">
          Charts from the first {ids.length} of {total} hosts that are up.
        </p>
      )}
    </div>
  );
}
