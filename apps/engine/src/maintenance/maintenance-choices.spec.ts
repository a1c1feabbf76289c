import { HostStatus, VmStatus } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import type { HostsService } from '../hosts/hosts.service';
import type { VmMigrationService } from '../vm-migration/vm-migration.service';
import type { VmPowerService } from '../vm-operations/vm-power.service';
import { MaintenanceChoices } from './maintenance-choices';
import type { MaintenanceService } from './maintenance.service';

const meta = { actor: 'admin', correlationId: 'c1' };
const H1 = { id: 'h1', name: 'lab-h1' };

function setup(status: HostStatus = HostStatus.PreparingForMaintenance) {
  const launch = jest.fn(async () => ({ id: 'maint-task' }));
  const assertNotEvacuating = jest.fn(async () => undefined);
  const migrate = jest.fn(async () => ({ id: 'mig-task' }));
  const power = jest.fn(async () => ({ id: 'power-task' }));
  const choices = new MaintenanceChoices(
    { get: jest.fn(async () => ({ ...H1, status })) } as unknown as HostsService,
    { launch, assertNotEvacuating } as unknown as MaintenanceService,
    {
      migrate,
      vmsOn: jest.fn(async () => [
        { id: 'pinned', name: 'pinned', status: VmStatus.Up },
        { id: 'off', name: 'off', status: VmStatus.Down },
      ]),
    } as unknown as VmMigrationService,
    { power } as unknown as VmPowerService,
  );
  return { choices, launch, migrate, power };
}

describe('MaintenanceChoices', () => {
  it('"shut it down": starts the VM shutdown (forced after the timeout) and a maintenance task waiting for it', async () => {
    const { choices, launch, power } = setup();
    const task = await choices.resolve('h1', { vmId: 'pinned', choice: 'shutdown' }, meta);
    expect(task.id).toBe('maint-task');
    expect(power).toHaveBeenCalledWith(
      'pinned',
      'shutdown',
      { timeoutSeconds: undefined, forceAfterTimeout: true },
      meta,
    );
    expect(launch).toHaveBeenCalledWith(expect.objectContaining({ id: 'h1' }), meta, {
      vmId: 'pinned',
      vmName: 'pinned',
      choice: 'shutdown',
      taskId: 'power-task',
    });
  });

  it('"pick a target": migrates to the host the admin chose', async () => {
    const { choices, migrate, launch } = setup();
    await choices.resolve('h1', { vmId: 'pinned', choice: 'migrate', targetHostId: 'h3' }, meta);
    expect(migrate).toHaveBeenCalledWith('pinned', { targetHostId: 'h3' }, meta);
    expect(launch).toHaveBeenCalledWith(
      expect.anything(),
      meta,
      expect.objectContaining({ taskId: 'mig-task' }),
    );
  });

  it('a refused VM action starts no maintenance task (the 4xx of the VM action stands)', async () => {
    const { choices, migrate, launch } = setup();
    migrate.mockRejectedValueOnce(new DomainError('unprocessable', 'host lab-h3 cannot receive VM pinned'));
    await expect(
      choices.resolve('h1', { vmId: 'pinned', choice: 'migrate', targetHostId: 'h3' }, meta),
    ).rejects.toThrow('cannot receive');
    expect(launch).not.toHaveBeenCalled();
  });

  it('409 for a host that is not preparing for maintenance, and for a VM that does not run there', async () => {
    const up = setup(HostStatus.Up);
    await expect(
      up.choices.resolve('h1', { vmId: 'pinned', choice: 'poweroff' }, meta),
    ).rejects.toMatchObject({
      code: 'invalid_state',
      message: expect.stringMatching(/lab-h1 is up: choices apply to a host preparing/),
    });
    const { choices, power } = setup();
    await expect(choices.resolve('h1', { vmId: 'off', choice: 'poweroff' }, meta)).rejects.toMatchObject({
      code: 'invalid_state',
      details: [expect.objectContaining({ field: 'vmId', reason: 'the VM is stopped' })],
    });
    await expect(choices.resolve('h1', { vmId: 'nope', choice: 'poweroff' }, meta)).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'vmId' })],
    });
    expect(power).not.toHaveBeenCalled();
  });
});
