import { ErrorCode, Permission } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { ScheduleRunner } from './schedule-runner';
import type { ScheduleEntity } from './schedule.entity';

const due = new Date('2027-01-01T02:00:00.000Z');

function setup(s: Partial<ScheduleEntity>, claim: string | null = 'run-1') {
  const schedule = {
    id: 's-1',
    action: 'vm.snapshot',
    targetType: 'vm',
    targetId: 'vm-1',
    params: { snapshotPrefix: 'nightly' },
    runAt: due,
    cron: null,
    state: 'active',
    createdBy: 'alice',
    createdByUserId: 'u-1',
    ...s,
  } as ScheduleEntity;
  const repo = {
    get: jest.fn().mockResolvedValue(schedule),
    claimRun: jest.fn().mockResolvedValue(claim),
    finishRun: jest.fn().mockResolvedValue(undefined),
    markDone: jest.fn().mockResolvedValue(undefined),
  };
  const access = {
    groupIdsOf: jest.fn().mockResolvedValue([]),
    assert: jest.fn().mockResolvedValue(undefined),
  };
  const power = { power: jest.fn().mockResolvedValue({ id: 'task-p' }) };
  const snapshots = { create: jest.fn().mockResolvedValue({ id: 'task-s' }) };
  const runner = new ScheduleRunner(
    repo as never,
    access as never,
    power as never,
    {} as never,
    {} as never,
    snapshots as never,
  );
  return { runner, repo, access, power, snapshots };
}

describe('a schedule run', () => {
  it('claims, launches through the action’s service as the creator, records the task, ends a one-time schedule', async () => {
    const t = setup({});
    await t.runner.run('s-1', due);
    expect(t.repo.claimRun).toHaveBeenCalledWith('s-1', due);
    expect(t.access.assert).toHaveBeenCalledWith(
      expect.objectContaining({ userId: 'u-1', readOnly: false }),
      Permission.VmSnapshot,
      'vm',
      'vm-1',
    );
    expect(t.snapshots.create).toHaveBeenCalledWith(
      'vm-1',
      { name: 'nightly-20270101T020000Z' },
      { actor: 'alice', correlationId: 'schedule-s-1' },
    );
    expect(t.repo.finishRun).toHaveBeenCalledWith('run-1', 'started', 'task-s', null);
    expect(t.repo.markDone).toHaveBeenCalledWith('s-1');
  });

  it('does nothing when another engine claimed the run', async () => {
    const t = setup({}, null);
    await t.runner.run('s-1', due);
    expect(t.snapshots.create).not.toHaveBeenCalled();
    expect(t.repo.finishRun).not.toHaveBeenCalled();
  });

  it('does nothing for a cancelled schedule', async () => {
    const t = setup({ state: 'cancelled' });
    await t.runner.run('s-1', due);
    expect(t.repo.claimRun).not.toHaveBeenCalled();
  });

  it('records a refusal with its code and reason; a recurring schedule stays active', async () => {
    const t = setup({ action: 'vm.shutdown', params: {}, runAt: null, cron: '0 2 * * *' });
    t.power.power.mockRejectedValue(new DomainError(ErrorCode.InvalidState, 'VM vm-1 is down'));
    await t.runner.run('s-1', due);
    expect(t.power.power).toHaveBeenCalledWith('vm-1', 'shutdown', {}, expect.anything());
    expect(t.repo.finishRun).toHaveBeenCalledWith('run-1', 'refused', null, 'invalid_state: VM vm-1 is down');
    expect(t.repo.markDone).not.toHaveBeenCalled();
  });

  it('refuses the run when the creator no longer holds the permission', async () => {
    const t = setup({ action: 'vm.reboot', params: {} });
    t.access.assert.mockRejectedValue(
      new DomainError(ErrorCode.Forbidden, 'permission vm.power is required'),
    );
    await t.runner.run('s-1', due);
    expect(t.power.power).not.toHaveBeenCalled();
    expect(t.repo.finishRun).toHaveBeenCalledWith(
      'run-1',
      'refused',
      null,
      'forbidden: permission vm.power is required',
    );
  });
});
