import { DomainError } from '../common/errors/domain-error';
import { TaskUnknowable } from '../tasks/task-adoption';
import { cp, failedStep, fakeCtx, fakeProbe, fakeTasks, HOST, VM_ID } from '../vm-guard/adoption.fakes';
import { HotplugAdoption } from './hotplug-adoption';
import { VmDeleteAdoption } from './vm-delete-adoption';
import { VmEditAdoption } from './vm-edit-adoption';
import type { VmsService } from '../vms/vms.service';
import type { VmDiskHotplugService } from './vm-disk-hotplug.service';
import type { VmDeleteService } from './vm-delete.service';
import type { VmEditService } from './vm-edit.service';
import { VmPowerAdoption } from './vm-power-adoption';
import { volumeNameFor } from './vm-spec.builder';

/** Unit: what each VM-operation adopter decides from the host's answers (ADR 0011). */

const power = (answers: Parameters<typeof fakeProbe>[0]) => {
  const probe = fakeProbe(answers);
  return { probe, adopter: new VmPowerAdoption(fakeTasks(), probe) };
};

describe('power adopter', () => {
  it('registers every power action, reboot and reset included', () => {
    const tasks = fakeTasks();
    new VmPowerAdoption(tasks, fakeProbe({})).onModuleInit();
    expect([...tasks.registered.keys()].sort()).toEqual(
      ['vm.poweroff', 'vm.reboot', 'vm.reset', 'vm.resume', 'vm.shutdown', 'vm.start', 'vm.suspend'].sort(),
    );
  });

  it('poweroff sent, libvirt shows it shut off → succeeded', async () => {
    const { adopter } = power({
      state: 'shutoff',
      outcome: { state: 'completed', result: { state: 'shutoff' } },
    });
    await expect(
      adopter.adopt(fakeCtx('vm.poweroff'), cp('power-sent', { jobId: 'j' })),
    ).resolves.toMatchObject({
      adoptedState: 'shutoff',
    });
  });

  it("the command failed on the host → failed with the host's reason", async () => {
    const { adopter } = power({ state: 'running', outcome: failedStep('domain is not running') });
    await expect(adopter.adopt(fakeCtx('vm.suspend'), cp('power', { jobId: 'j' }))).rejects.toThrow(
      /vm.suspend failed on h1: domain is not running/,
    );
  });

  it('reboot: its job completed → succeeded; lost while the VM runs → interrupted saying why', async () => {
    const done = power({ state: 'running', outcome: { state: 'completed', result: { state: 'running' } } });
    await expect(
      done.adopter.adopt(fakeCtx('vm.reboot'), cp('power-sent', { jobId: 'j' })),
    ).resolves.toMatchObject({
      adoptedState: 'running',
    });
    const lost = power({ state: 'running' });
    const err = await lost.adopter
      .adopt(fakeCtx('vm.reset'), cp('power-sent', { jobId: 'j' }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(TaskUnknowable);
    expect(err.message).toMatch(/whether it restarted cannot be told/);
  });

  it('reboot lost while libvirt shows the VM shut off → failed naming the state', async () => {
    const { adopter } = power({ state: 'shutoff' });
    const err = await adopter.adopt(fakeCtx('vm.reboot'), cp('power-sent', { jobId: 'j' })).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.message).toMatch(/shows VM vm1 shutoff/);
  });
});

describe('delete adopter', () => {
  const make = (state: string) => {
    const lifecycle = { forgetDeleted: jest.fn(async () => ({ deletedVolumes: ['/x/a.qcow2'] })) };
    const adopter = new VmDeleteAdoption(
      fakeTasks(),
      fakeProbe({ state }),
      lifecycle as unknown as VmDeleteService,
    );
    return { adopter, lifecycle };
  };

  it('the domain is undefined → the rest of the delete is done: succeeded', async () => {
    const { adopter, lifecycle } = make('absent');
    await expect(
      adopter.adopt(fakeCtx('vm.delete'), cp('undefine-sent', { withDisks: true })),
    ).resolves.toEqual({
      deletedVolumes: ['/x/a.qcow2'],
    });
    expect(lifecycle.forgetDeleted).toHaveBeenCalledWith(
      expect.objectContaining({ id: VM_ID }),
      true,
      HOST,
      expect.anything(),
    );
  });

  it('the domain is still defined → failed, nothing deleted, the state named', async () => {
    const { adopter, lifecycle } = make('shutoff');
    await expect(adopter.adopt(fakeCtx('vm.delete'), cp('deleting', { withDisks: false }))).rejects.toThrow(
      /shows it shutoff and nothing was deleted; delete it again/,
    );
    expect(lifecycle.forgetDeleted).not.toHaveBeenCalled();
  });
});

describe('hot-plug adopter', () => {
  const disk = { id: 'd1', name: 'data', targetDev: 'vdb', storageDomainId: 'sd', provisionedAt: null };
  const volumePath = `/sd/${volumeNameFor(disk as never)}`;
  const make = (devices: Parameters<typeof fakeProbe>[0]['devices']) => {
    const hotplug = {
      dropNewDisk: jest.fn(async () => undefined),
      releaseDisk: jest.fn(async () => undefined),
    };
    const nics = { remove: jest.fn(async () => undefined) };
    const disks = { find: jest.fn(async () => disk), atPath: jest.fn(async () => undefined) };
    const vms = { setCdrom: jest.fn(async () => undefined) };
    const adopter = new HotplugAdoption(
      fakeTasks(),
      fakeProbe({ devices, outcome: { state: 'completed', result: { xml: '' } } }),
      hotplug as unknown as VmDiskHotplugService,
      nics as never,
      disks as never,
      vms as never,
    );
    return { adopter, hotplug, nics, disks, vms };
  };
  const vdb = { target: 'vdb', device: 'disk', path: volumePath } as never;

  it('attach-disk: libvirt shows the disk at its target → recorded, succeeded', async () => {
    const { adopter, disks, hotplug } = make({ disks: [vdb] });
    await expect(
      adopter.adopt(fakeCtx('vm.attach-disk'), cp('attach-sent', { diskId: 'd1', jobId: 'j' })),
    ).resolves.toMatchObject({ diskId: 'd1', path: volumePath });
    expect(disks.atPath).toHaveBeenCalledWith('d1', volumePath, expect.any(Date));
    expect(hotplug.dropNewDisk).not.toHaveBeenCalled();
  });

  it('attach-disk: not in the domain → its volume and record removed, failed', async () => {
    const { adopter, hotplug } = make({ disks: [] });
    await expect(adopter.adopt(fakeCtx('vm.attach-disk'), cp('hotplug', { diskId: 'd1' }))).rejects.toThrow(
      /does not show it on VM vm1; its volume and record were removed/,
    );
    expect(hotplug.dropNewDisk).toHaveBeenCalledWith(disk, expect.anything(), HOST, expect.anything());
  });

  it('detach-disk: still in the domain → failed, nothing changed; gone → released, succeeded', async () => {
    const still = make({ disks: [vdb] });
    await expect(
      still.adopter.adopt(fakeCtx('vm.detach-disk'), cp('detach-sent', { diskId: 'd1' })),
    ).rejects.toThrow(/still shows it .* nothing changed/);
    expect(still.hotplug.releaseDisk).not.toHaveBeenCalled();
    const gone = make({ disks: [] });
    await gone.adopter.adopt(
      fakeCtx('vm.detach-disk'),
      cp('detach-sent', { diskId: 'd1', deleteVolume: true }),
    );
    expect(gone.hotplug.releaseDisk).toHaveBeenCalledWith(
      disk,
      expect.anything(),
      HOST,
      true,
      expect.anything(),
    );
  });

  it('NICs are found by MAC: attach present → succeeded, absent → record removed; detach the reverse', async () => {
    const nic = { type: 'bridge', bridge: 'br0', network: null, mac: '52:54:00:aa:bb:cc' };
    const data = { nicId: 'n1', mac: '52:54:00:AA:BB:CC' };
    await expect(
      make({ interfaces: [nic] }).adopter.adopt(fakeCtx('vm.attach-nic'), cp('attach-sent', data)),
    ).resolves.toEqual({
      nicId: 'n1',
      mac: data.mac,
    });
    const absent = make({ interfaces: [] });
    await expect(absent.adopter.adopt(fakeCtx('vm.attach-nic'), cp('attach-sent', data))).rejects.toThrow(
      /record was removed/,
    );
    expect(absent.nics.remove).toHaveBeenCalledWith('n1', expect.anything());
    const detached = make({ interfaces: [] });
    await expect(detached.adopter.adopt(fakeCtx('vm.detach-nic'), cp('detach-sent', data))).resolves.toEqual({
      nicId: 'n1',
    });
    expect(detached.nics.remove).toHaveBeenCalled();
    await expect(
      make({ interfaces: [nic] }).adopter.adopt(fakeCtx('vm.detach-nic'), cp('detach', data)),
    ).rejects.toThrow(/still shows it/);
  });

  it('CD-ROM: the drive holds what was asked → recorded; something else → failed naming it', async () => {
    const cd = (path: string | null) => ({ target: 'hdc', device: 'cdrom', path }) as never;
    const ok = make({ disks: [cd('/iso/a.iso')] });
    await expect(
      ok.adopter.adopt(fakeCtx('vm.change-cdrom'), cp('change-media-sent', { isoPath: '/iso/a.iso' })),
    ).resolves.toEqual({
      isoPath: '/iso/a.iso',
    });
    expect(ok.vms.setCdrom).toHaveBeenCalledWith(VM_ID, '/iso/a.iso');
    const ejected = make({ disks: [cd(null)] });
    await expect(
      ejected.adopter.adopt(fakeCtx('vm.change-cdrom'), cp('change-media', { isoPath: null })),
    ).resolves.toEqual({
      isoPath: null,
    });
    await expect(
      make({ disks: [cd('/iso/old.iso')] }).adopter.adopt(
        fakeCtx('vm.change-cdrom'),
        cp('change-media', { isoPath: null }),
      ),
    ).rejects.toThrow(/holding \/iso\/old.iso; change it again/);
  });

  it('the host no longer knows the domain → interrupted', async () => {
    const err = await make(null)
      .adopter.adopt(fakeCtx('vm.attach-nic'), cp('attach', { nicId: 'n', mac: 'm' }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(TaskUnknowable);
  });
});

describe('edit adopter', () => {
  const plan = { configure: { uuid: VM_ID, vcpus: 2 }, liveMemoryMib: null, renameWhileActive: false };
  /** The records as the adopter finds them (`vcpus` before the edit is applied again). */
  function make(recordedVcpus: number) {
    const edited = { id: VM_ID, name: 'renamed', vcpus: 2, memoryMib: 256 };
    const lifecycle = { applyEdit: jest.fn(async () => edited) };
    const vms = { announceUpdated: jest.fn(async () => undefined) };
    const adopter = new VmEditAdoption(
      fakeTasks(),
      fakeProbe({ vm: { vcpus: recordedVcpus } }),
      lifecycle as unknown as VmEditService,
      vms as unknown as VmsService,
    );
    const adopt = () => adopter.adopt(fakeCtx('vm.edit'), cp('editing', { plan, dto: { vcpus: 2 } }));
    return { adopt, lifecycle, vms, edited };
  }

  it('applies the recorded plan again (idempotent steps) and returns the VM as edited', async () => {
    const { adopt, lifecycle, vms } = make(1);
    await expect(adopt()).resolves.toMatchObject({ vcpus: 2 });
    expect(lifecycle.applyEdit).toHaveBeenCalledWith(HOST, { vcpus: 2 }, plan, expect.anything());
    // The records changed now: that update announced itself.
    expect(vms.announceUpdated).not.toHaveBeenCalled();
  });

  it('records written by the dead engine but never announced: object.updated is published once', async () => {
    const { adopt, vms, edited } = make(2);
    await adopt();
    expect(vms.announceUpdated).toHaveBeenCalledWith(edited, ['vcpus'], {
      actor: 'tester',
      correlationId: 'corr-1',
    });
  });
});
