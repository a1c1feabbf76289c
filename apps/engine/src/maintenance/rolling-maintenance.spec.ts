import { HostStatus, Task, TaskStatus } from '@kelpie/shared-types';
import type { ClustersService } from '../clusters/clusters.service';
import { DomainError } from '../common/errors/domain-error';
import type { HostRepository } from '../hosts/host.repository';
import type { HostsService } from '../hosts/hosts.service';
import type { TaskContext, TasksService } from '../tasks/tasks.service';
import type { VmMigrationService } from '../vm-migration/vm-migration.service';
import type { MaintenanceService } from './maintenance.service';
import { RollingMaintenance } from './rolling-maintenance';
import { readCheckpoint, RollingCheckpoint, rollingPercent, rollingSteps } from './rolling-steps';

const HOSTS = [
  { id: 'h1', name: 'lab-h1' },
  { id: 'h2', name: 'lab-h2' },
  { id: 'h3', name: 'lab-h3' },
];
const run = (o: Partial<RollingCheckpoint> = {}): RollingCheckpoint => ({
  clusterId: 'c1',
  hosts: HOSTS,
  action: 'reactivate',
  index: 0,
  stage: 'entering',
  maintenanceTaskId: null,
  ...o,
});

/** Hosts whose status moves as the (faked) maintenance and activate move it; `stuck` hosts keep a
 * VM, so their maintenance leaves them preparing; `onBlocked` is what the admin then does. */
function setup(o: {
  status?: Record<string, HostStatus>;
  stuck?: string[];
  onBlocked?: HostStatus;
  cancelled?: boolean;
  existingTask?: Record<string, string>;
}) {
  const status: Record<string, HostStatus> = {
    h1: HostStatus.Up,
    h2: HostStatus.Up,
    h3: HostStatus.Up,
    ...o.status,
  };
  const log: string[] = [];
  const hosts = {
    get: jest.fn(async (id: string) => {
      if (status[id] === HostStatus.PreparingForMaintenance && o.onBlocked && log.includes(`blocked ${id}`))
        status[id] = o.onBlocked;
      return {
        id,
        name: `lab-${id}`,
        status: status[id],
        statusReason: 'VM x could not move',
        lastHeartbeatAt: new Date(),
      };
    }),
  } as unknown as HostsService;
  const maintenance = {
    enter: jest.fn(async (id: string) => {
      log.push(`enter ${id}`);
      status[id] = o.stuck?.includes(id) ? HostStatus.PreparingForMaintenance : HostStatus.Maintenance;
      return { id: `mt-${id}` };
    }),
    activate: jest.fn(async (id: string) => {
      log.push(`activate ${id}`);
      status[id] = HostStatus.Up;
    }),
  } as unknown as MaintenanceService;
  const tasks = {
    get: jest.fn(async (id: string) => ({ id, status: TaskStatus.Succeeded }) as Task),
    wait: jest.fn(),
    activeOn: jest.fn(async (id: string) =>
      o.existingTask?.[id] ? [{ id: o.existingTask[id], type: 'host.maintenance' }] : [],
    ),
  } as unknown as TasksService;
  const migrations = { recordEvent: jest.fn() } as unknown as VmMigrationService;
  const service = new RollingMaintenance(
    {} as ClustersService,
    hosts,
    {} as HostRepository,
    tasks,
    maintenance,
    migrations,
  );
  const phases: string[] = [];
  const ctx = {
    task: { id: 'roll-1', requestedBy: 'admin', correlationId: 'corr' } as Task,
    progress: jest.fn(async () => undefined),
    isCancelled: async () => !!o.cancelled && log.length > 0,
    checkpoint: jest.fn(async (phase: string, data: { index: number }) => {
      phases.push(`${data.index}:${phase}`);
      if (phase === 'blocked') log.push(`blocked ${HOSTS[data.index]!.id}`);
    }),
  } as unknown as TaskContext;
  return { service, ctx, log, phases, status };
}

describe('RollingMaintenance.run', () => {
  it('one host at a time: maintenance, activate, up, then the next', async () => {
    const s = setup({});
    await s.service.run(s.ctx, run());
    expect(s.log).toEqual(['enter h1', 'activate h1', 'enter h2', 'activate h2', 'enter h3', 'activate h3']);
    expect(s.phases.filter((p) => p.startsWith('0:'))).toEqual([
      '0:entering',
      '0:entering',
      '0:maintenance',
      '0:activating',
    ]);
  });

  it('an adopted run continues at its stage: the host already activated is not entered again', async () => {
    const s = setup({ status: { h1: HostStatus.Up, h2: HostStatus.Up } });
    await s.service.run(s.ctx, run({ index: 1, stage: 'activating' }));
    expect(s.log).toEqual(['enter h3', 'activate h3']);
  });

  it('an adopted run waits for the maintenance task it started instead of starting another', async () => {
    const s = setup({ status: { h1: HostStatus.PreparingForMaintenance }, existingTask: { h1: 'mt-old' } });
    // The task ended (succeeded) and left the host in maintenance.
    s.status.h1 = HostStatus.Maintenance;
    await s.service.run(s.ctx, run({ hosts: [HOSTS[0]!], maintenanceTaskId: 'mt-old' }));
    expect(s.log).toEqual(['activate h1']);
  });

  it('a VM that cannot leave: the run waits; the admin resolving it lets the run go on', async () => {
    const s = setup({ stuck: ['h1'], onBlocked: HostStatus.Maintenance });
    await s.service.run(s.ctx, run({ hosts: [HOSTS[0]!, HOSTS[1]!] }));
    expect(s.phases).toContain('0:blocked');
    expect(s.log).toEqual(['enter h1', 'blocked h1', 'activate h1', 'enter h2', 'activate h2']);
  });

  it('a VM that cannot leave and the admin activates the host: the run stops naming it', async () => {
    const s = setup({ stuck: ['h1'], onBlocked: HostStatus.Up });
    const err = await s.service.run(s.ctx, run()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as Error).message).toMatch(/host lab-h1 became up while a VM kept it from maintenance/);
    expect(s.log).not.toContain('enter h2');
  });

  it('a host that is neither up nor entering maintenance stops the run before it', async () => {
    const s = setup({ status: { h1: HostStatus.NonResponsive } });
    await expect(s.service.run(s.ctx, run())).rejects.toThrow(
      /host lab-h1 is not responding: it cannot enter maintenance; the rolling maintenance stops/,
    );
  });

  it('wait_for_admin: the host stays in maintenance until someone activates it', async () => {
    const s = setup({});
    const done = s.service.run(s.ctx, run({ hosts: [HOSTS[0]!], action: 'wait_for_admin' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(s.status.h1).toBe(HostStatus.Maintenance);
    expect(s.phases).toContain('0:maintenance');
    s.status.h1 = HostStatus.Up; // the admin's continue
    await done;
    expect(s.log).toEqual(['enter h1']);
  });

  it('a cancelled run stops at its next look and leaves the host as it is', async () => {
    const s = setup({ cancelled: true });
    await expect(s.service.run(s.ctx, run())).resolves.toEqual({});
    expect(s.log).toEqual(['enter h1']);
  });
});

describe('rolling steps', () => {
  it('reads back what it stored, and nothing else', () => {
    const cp = run({ index: 1, stage: 'blocked', maintenanceTaskId: 't' });
    expect(readCheckpoint({ ...cp, phase: 'blocked' })).toEqual(cp);
    expect(readCheckpoint({ phase: 'entering' })).toBeNull();
  });

  it('one step per host: done before the current one, pending after', () => {
    expect(
      rollingSteps(run({ index: 1, stage: 'maintenance' })).map((s) => [s.name, s.status, s.message]),
    ).toEqual([
      ['lab-h1', 'done', 'maintained and active again'],
      ['lab-h2', 'running', 'in maintenance'],
      ['lab-h3', 'pending', 'waiting'],
    ]);
    expect(rollingPercent(run({ index: 1, stage: 'maintenance' }))).toBeCloseTo(50);
    expect(rollingPercent(run({ index: 0, stage: 'entering' }))).toBe(0);
  });
});
