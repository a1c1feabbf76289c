import type { FleetStats, HostStatsSample, VmStatsSample } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { api, as, read } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { fmtMib } from '../components/format';
import { LineChart } from './LineChart';
import { hostSeries, vmSeries } from './series';

/** Agents report every 10 s by default: refetch at that pace (the stream carries no stats). */
export const STATS_REFRESH_MS = 10_000;
const SAMPLES = 60;

const pct = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)}%`;

const lastSamples = (id: string) => ({ params: { path: { id }, query: { limit: SAMPLES } } });
const hostStats = (id: string) =>
  read(api.GET('/api/v1/hosts/{id}/stats', lastSamples(id)), as<HostStatsSample[]>());
const vmStats = (id: string) =>
  read(api.GET('/api/v1/vms/{id}/stats', lastSamples(id)), as<VmStatsSample[]>());

function useStats<T>(kind: 'hosts' | 'vms', id: string, fetchStats: (id: string) => Promise<T[]>) {
  return useQuery({
    queryKey: ['stats', kind, id],
    queryFn: () => fetchStats(id),
    refetchInterval: STATS_REFRESH_MS,
  });
}

export function HostCharts({ hostId }: { hostId: string }) {
  const { data, error } = useStats('hosts', hostId, hostStats);
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
  const { data, error } = useStats('vms', vmId, vmStats);
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

/** Fleet CPU (mean) and memory (summed) use over time of the hosts that are up: one request, the
 * engine merges the hosts' histories. */
export function FleetCharts() {
  const { data, error } = useQuery({
    queryKey: ['stats', 'fleet'],
    queryFn: () =>
      read(api.GET('/api/v1/stats/fleet', { params: { query: { limit: SAMPLES } } }), as<FleetStats>()),
    refetchInterval: STATS_REFRESH_MS,
  });
  const s = hostSeries(data?.samples ?? []);
  return (
    <div className="charts" aria-label="Fleet use over time">
      <ErrorBox error={error} />
      <LineChart title="Fleet CPU use" points={s.cpu} max={100} format={pct} />
      <LineChart title="Fleet memory in use" points={s.mem} max={100} format={pct} />
    </div>
  );
}
