import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: virsh reads take milliseconds, a start or a define a second, a migration minutes. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

/** What the gauges read at scrape time: the agent's services, injected as functions so this bottom
 * layer knows none of them. */
export interface AgentGaugeSources {
  /** libvirt domains this agent sees, by libvirt state (`running`, `shut off`…). */
  domainStates(): string[];
  libvirtConnected(): boolean;
  /** Event-stream ends and reconnects since the agent started. */
  eventStream(): { ends: number; reconnects: number };
  /** The latest host sample the stats collector sent, if any. */
  hostSample(): { cpuPercent: number; memTotalKiB: number; memFreeKiB: number } | null;
}

/**
 * The agent's Prometheus instruments, in a registry of its own (tests run several agents in one
 * process). Command and virsh latencies are observed where they happen; host figures are read when
 * Prometheus scrapes.
 */
export class AgentMetrics {
  readonly registry = new Registry();

  readonly commandDuration = new Histogram({
    name: 'kelpie_agent_command_duration_seconds',
    help: 'Commands from the engine, by command name and outcome (ok or the agent error code).',
    labelNames: ['command', 'outcome'],
    buckets: BUCKETS,
    registers: [this.registry],
  });

  readonly virshDuration = new Histogram({
    name: 'kelpie_agent_virsh_call_duration_seconds',
    help: 'virsh calls (processes and session calls), by subcommand and outcome.',
    labelNames: ['op', 'outcome'],
    buckets: BUCKETS,
    registers: [this.registry],
  });

  constructor(hostId: string) {
    this.registry.setDefaultLabels({ host_id: hostId });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Registers the scrape-time gauges over the agent's services (once they exist). */
  watch(sources: AgentGaugeSources): void {
    const gauge = (name: string, help: string, collect: (g: Gauge) => void, labelNames: string[] = []) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [this.registry],
        collect() {
          this.reset();
          collect(this);
        },
      });
    gauge(
      'kelpie_agent_domains',
      'libvirt domains on this host, by state.',
      (g) => {
        const counts = new Map<string, number>();
        for (const s of sources.domainStates()) counts.set(s, (counts.get(s) ?? 0) + 1);
        for (const [state, n] of counts) g.set({ state }, n);
      },
      ['state'],
    );
    gauge('kelpie_agent_libvirt_connected', '1 while the event stream and the last listing work.', (g) =>
      g.set(sources.libvirtConnected() ? 1 : 0),
    );
    // Counters kept by the inventory; exposed as counters so rate() works on them.
    new Counter({
      name: 'kelpie_agent_event_stream_reconnects_total',
      help: 'Times the libvirt event stream ended and was opened again (libvirtd restarts).',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(sources.eventStream().reconnects);
      },
    });
    const host = (field: 'cpuPercent' | 'memTotalKiB' | 'memFreeKiB', scale: number) => (g: Gauge) => {
      const s = sources.hostSample();
      if (s) g.set(s[field] * scale);
    };
    gauge('kelpie_agent_host_cpu_percent', 'Host CPU use (latest sample).', host('cpuPercent', 1));
    gauge('kelpie_agent_host_memory_total_bytes', 'Host memory.', host('memTotalKiB', 1024));
    gauge('kelpie_agent_host_memory_free_bytes', 'Free host memory.', host('memFreeKiB', 1024));
  }

  command(command: string, outcome: string, seconds: number): void {
    this.commandDuration.observe({ command, outcome }, seconds);
  }

  virsh(op: string, outcome: string, seconds: number): void {
    this.virshDuration.observe({ op, outcome }, seconds);
  }
}
