import { HostStatus } from '@kelpie/shared-types';
import { EngineConfig } from '../config/config.schema';
import { HostsService } from '../hosts/hosts.service';
import { HeartbeatConsumer } from './heartbeat.consumer';
import type { HostRepository } from '../hosts/host.repository';
import { HostMonitorService } from './host-monitor.service';
import { VmStateSyncService } from './vm-state-sync.service';

const TIMEOUT_MS = 5000;
const T0 = Date.parse('2026-12-06T08:00:00Z');

/** A monitor started at T0 over one Up host whose last recorded heartbeat is `lastAt`. */
function monitorOver(lastAt: number | null, seenInMemory?: number) {
  const steps: string[] = [];
  // What Postgres would answer: the host when its recorded heartbeat is older than the cutoff.
  const db = {
    silentSince: jest.fn(async (_statuses: HostStatus[], cutoff: Date) =>
      lastAt === null || lastAt < cutoff.getTime()
        ? [{ id: 'h1', last: lastAt ? new Date(lastAt) : null }]
        : [],
    ),
  };
  const hosts = {
    setStatus: jest.fn(async (_id: string, status: HostStatus, reason: string) => {
      steps.push(`host ${status}: ${reason}`);
    }),
  };
  const vmSync = {
    markHostVmsUnknown: jest.fn(async (_id: string, reason: string) => {
      steps.push(`vms unknown: ${reason}`);
    }),
  };
  const heartbeats = { forget: jest.fn(), lastSeen: jest.fn(() => seenInMemory) };
  const monitor = new HostMonitorService(
    { heartbeatTimeoutMs: TIMEOUT_MS } as EngineConfig,
    db as unknown as HostRepository,
    hosts as unknown as HostsService,
    vmSync as unknown as VmStateSyncService,
    heartbeats as unknown as HeartbeatConsumer,
  );
  monitor.onModuleInit();
  return { monitor, steps, heartbeats, db };
}

describe('HostMonitorService', () => {
  let monitor: HostMonitorService | undefined;
  beforeEach(() => jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'setImmediate'] }));
  afterEach(() => {
    monitor?.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('marks a silent host’s VMs unknown before the host turns NonResponsive', async () => {
    const m = monitorOver(T0 + 1000);
    monitor = m.monitor;
    jest.setSystemTime(T0 + 10_000);

    await m.monitor.check();

    expect(m.steps).toEqual([
      'vms unknown: host is non-responsive (no heartbeat for 9 s)',
      `host ${HostStatus.NonResponsive}: no heartbeat for 9 s`,
    ]);
    expect(m.heartbeats.forget).toHaveBeenCalledWith('h1');
  });

  it('does not judge a host by the previous run’s last heartbeat while the engine is starting', async () => {
    // Last heartbeat 34 s before this engine started (the engine was down, or everything restarted).
    const m = monitorOver(T0 - 34_000);
    monitor = m.monitor;
    jest.setSystemTime(T0 + 1500);

    await m.monitor.check();
    jest.setSystemTime(T0 + TIMEOUT_MS - 1);
    await m.monitor.check();

    expect(m.steps).toEqual([]);
    expect(m.db.silentSince).not.toHaveBeenCalled();
  });

  it('gives a host that stays silent one full timeout from the engine’s start, then marks it', async () => {
    const m = monitorOver(T0 - 34_000);
    monitor = m.monitor;
    jest.setSystemTime(T0 + TIMEOUT_MS + 2000);

    await m.monitor.check();

    expect(m.steps).toEqual([
      'vms unknown: host is non-responsive (no heartbeat in the 7 s since the engine started)',
      `host ${HostStatus.NonResponsive}: no heartbeat in the 7 s since the engine started`,
    ]);
  });

  it('counts heartbeats received but not yet recorded (Postgres briefly away)', async () => {
    const m = monitorOver(T0 + 100, T0 + 9000);
    monitor = m.monitor;
    jest.setSystemTime(T0 + 10_000);

    await m.monitor.check();

    expect(m.steps).toEqual([]);
  });
});
