import { HostStatus } from '@kelpie/shared-types';
import { DataSource } from 'typeorm';
import { EngineConfig } from '../config/config.schema';
import { HostsService } from '../hosts/hosts.service';
import { HeartbeatConsumer } from './heartbeat.consumer';
import { HostMonitorService } from './host-monitor.service';
import { VmStateSyncService } from './vm-state-sync.service';

describe('HostMonitorService', () => {
  it('marks a silent host’s VMs unknown before the host turns NonResponsive', async () => {
    const steps: string[] = [];
    const db = { query: jest.fn().mockResolvedValue([{ id: 'h1', last: new Date(Date.now() - 9000) }]) };
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
    const heartbeats = { forget: jest.fn() };
    const monitor = new HostMonitorService(
      { heartbeatTimeoutMs: 5000 } as EngineConfig,
      db as unknown as DataSource,
      hosts as unknown as HostsService,
      vmSync as unknown as VmStateSyncService,
      heartbeats as unknown as HeartbeatConsumer,
    );

    await monitor.check();

    expect(steps).toEqual([
      'vms unknown: host is non-responsive (no heartbeat for 9 s)',
      `host ${HostStatus.NonResponsive}: no heartbeat for 9 s`,
    ]);
    expect(heartbeats.forget).toHaveBeenCalledWith('h1');
  });
});
