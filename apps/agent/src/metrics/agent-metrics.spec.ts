import { AgentMetrics } from './agent-metrics';

/** The value of `series` (a histogram's `_count` too) with every label given, as the registry holds it. */
async function valueOf(m: AgentMetrics, series: string, labels: Record<string, string>) {
  const metrics = await m.registry.getMetricsAsJSON();
  const metric = metrics.find((x) => x.name === series || `${x.name}_count` === series);
  const values = (metric?.values ?? []) as {
    value: number;
    labels: Record<string, unknown>;
    metricName?: string;
  }[];
  return values.find(
    (v) =>
      (v.metricName ?? metric!.name) === series &&
      Object.entries(labels).every(([k, x]) => v.labels[k] === x),
  )?.value;
}

describe('AgentMetrics', () => {
  it('labels every series with the host id and observes commands and virsh calls', async () => {
    const m = new AgentMetrics('host-1');
    m.command('vm.start', 'ok', 0.7);
    m.command('vm.start', 'domain_not_found', 0.01);
    m.virsh('dominfo', 'ok', 0.004);
    const count = 'kelpie_agent_command_duration_seconds_count';
    expect(await valueOf(m, count, { command: 'vm.start', outcome: 'ok', host_id: 'host-1' })).toBe(1);
    expect(await valueOf(m, count, { command: 'vm.start', outcome: 'domain_not_found' })).toBe(1);
    const virsh = 'kelpie_agent_virsh_call_duration_seconds_count';
    expect(await valueOf(m, virsh, { op: 'dominfo', outcome: 'ok', host_id: 'host-1' })).toBe(1);
  });

  it('reads the host gauges from the agent services at scrape time', async () => {
    const m = new AgentMetrics('h');
    let states = ['running', 'running', 'shut off'];
    m.watch({
      domainStates: () => states,
      libvirtConnected: () => true,
      eventStream: () => ({ ends: 3, reconnects: 2 }),
      hostSample: () => ({ cpuPercent: 12.5, memTotalKiB: 2048, memFreeKiB: 1024 }),
    });
    expect(await valueOf(m, 'kelpie_agent_domains', { state: 'running', host_id: 'h' })).toBe(2);
    expect(await valueOf(m, 'kelpie_agent_domains', { state: 'shut off', host_id: 'h' })).toBe(1);
    expect(await valueOf(m, 'kelpie_agent_event_stream_reconnects_total', { host_id: 'h' })).toBe(2);
    expect(await valueOf(m, 'kelpie_agent_host_memory_total_bytes', { host_id: 'h' })).toBe(2097152);
    expect(await valueOf(m, 'kelpie_agent_libvirt_connected', { host_id: 'h' })).toBe(1);
    states = ['running'];
    expect(await valueOf(m, 'kelpie_agent_domains', { state: 'running', host_id: 'h' })).toBe(1);
    expect(await valueOf(m, 'kelpie_agent_domains', { state: 'shut off' })).toBeUndefined();
  });
});
