import { HostStatus, VmStatus } from '@kelpie/shared-types';
import { DomainError, invalidState } from '../common/errors/domain-error';
import type { HostsService } from '../hosts/hosts.service';
import type { MigrationPlanner } from '../vm-migration/migration-planner';
import type { Reservations } from '../vm-migration/migration-scheduler';
import type { VmMigrationService } from '../vm-migration/vm-migration.service';
import { MaintenancePlanner, summarize } from './maintenance-plan';

const H1 = { id: 'h1', name: 'lab-h1', status: HostStatus.Up };
const H2 = { id: 'h2', name: 'lab-h2' };
const vm = (id: string, status: VmStatus, memoryMib = 512) => ({ id, name: id, status, memoryMib });

function setup(plan: (vmId: string, reservations: Reservations) => unknown) {
  const seen: Record<string, number> = {};
  const planner = {
    plan: jest.fn(async (vmId: string, _dto: unknown, reservations: Reservations) => {
      seen[vmId] = reservations.get(H2.id)?.memoryMiB ?? 0;
      return plan(vmId, reservations);
    }),
  } as unknown as MigrationPlanner;
  const vms = [
    vm('a', VmStatus.Up),
    vm('b', VmStatus.Up),
    vm('pinned', VmStatus.Up),
    vm('off', VmStatus.Down),
  ];
  const p = new MaintenancePlanner(
    { get: jest.fn(async () => H1) } as unknown as HostsService,
    { vmsOn: jest.fn(async () => vms) } as unknown as VmMigrationService,
    planner,
  );
  return { p, seen, planner };
}

describe('MaintenancePlanner', () => {
  it('gives each running VM its target or its reason, lists stopped VMs apart, and reserves as the evacuation does', async () => {
    const { p, seen, planner } = setup((id) => {
      if (id === 'pinned')
        throw invalidState(
          'VM pinned has 1 snapshot(s): libvirt cannot live-migrate a domain with snapshots',
        );
      return { target: H2, targetReason: `scheduler chose lab-h2 for ${id}` };
    });
    const plan = await p.plan('h1');
    expect(plan.running.map((m) => [m.vmName, m.targetHostName])).toEqual([
      ['a', 'lab-h2'],
      ['b', 'lab-h2'],
      ['pinned', null],
    ]);
    expect(plan.running[2]!.reason).toMatch(/snapshot/);
    expect(plan.stopped).toEqual([{ vmId: 'off', vmName: 'off' }]);
    expect(plan.blocked).toBe(1);
    expect(plan.choices).toEqual(['shutdown', 'poweroff', 'migrate']);
    // The second VM was planned with the first one's memory already promised to lab-h2.
    expect(seen).toEqual({ a: 0, b: 512, pinned: 1024 });
    // The stopped VM is never planned as a migration.
    expect((planner.plan as jest.Mock).mock.calls.map((c) => c[0])).not.toContain('off');
    expect(plan.summary).toBe(
      '2 running VM(s) live-migrated away from lab-h1; 1 running VM(s) cannot move: the host would stay preparing ' +
        'for maintenance until each is shut down, given a target, or maintenance is cancelled; 1 stopped VM(s) ' +
        'stay defined there and start on another host when started',
    );
  });

  it('does not hide a fault that is not a refusal (a 5xx stays one)', async () => {
    const { p } = setup(() => {
      throw new Error('connection lost');
    });
    await expect(p.plan('h1')).rejects.toThrow('connection lost');
  });

  it("a VM that fits nowhere is named with the planner's reason (no host in maintenance is a target)", async () => {
    const { p } = setup(() => {
      throw new DomainError(
        'unprocessable',
        'no host can receive VM a: lab-h2: host is in maintenance: it cannot receive VMs',
      );
    });
    const plan = await p.plan('h1');
    expect(plan.blocked).toBe(3);
    expect(plan.running.every((m) => m.targetHostId === null && /in maintenance/.test(m.reason))).toBe(true);
  });

  it('summarizes an empty host plainly', () => {
    expect(summarize('h', 0, 0, 0)).toBe('0 running VM(s) live-migrated away from h');
  });
});
