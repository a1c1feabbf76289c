import { DomainError } from '../common/errors/domain-error';
import { TaskUnknowable } from '../tasks/task-adoption';
import { cp, failedStep, fakeCtx, fakeProbe, fakeTasks, VM_ID } from '../vm-guard/adoption.fakes';
import { SnapshotAdoption } from './snapshot-adoption';
import type { VmSnapshotsService } from './vm-snapshots.service';

/** Unit: how snapshot create / revert tasks of a dead engine end, from the host's answers. */
const SNAP = '00000000-0000-4000-8000-00000000005a';
const info = (current = false) => ({
  name: SNAP,
  parent: null,
  state: 'disk-snapshot',
  current,
  type: 'external',
  withMemory: false,
  creationTime: 1,
  overlays: [{ target: 'vda', path: '/sd/x.ov' }],
});

function make(answers: Parameters<typeof fakeProbe>[0], recorded = false) {
  const snapshots = { recordTaken: jest.fn(async () => ({ snapshotId: SNAP, recorded: 'now' })) };
  const repo = { exists: jest.fn(async () => recorded) };
  const adopter = new SnapshotAdoption(
    fakeTasks(),
    snapshots as unknown as VmSnapshotsService,
    {} as never,
    fakeProbe(answers),
    repo as never,
    {} as never,
  );
  return { adopter, snapshots };
}
const taking = cp('take-sent', { snapshotId: SNAP, name: 'before-upgrade', description: 'd', jobId: 'j' });
const reverting = cp('revert-sent', { snapshotId: SNAP, jobId: 'j' });

describe('snapshot create adopter', () => {
  it('its job completed → recorded from the job result: succeeded', async () => {
    const { adopter, snapshots } = make({ outcome: { state: 'completed', result: info() } });
    await expect(adopter.adoptCreate(fakeCtx('vm.snapshot.create'), taking)).resolves.toMatchObject({
      snapshotId: SNAP,
    });
    expect(snapshots.recordTaken).toHaveBeenCalledWith(
      expect.objectContaining({ id: VM_ID }),
      SNAP,
      'before-upgrade',
      'd',
      info(),
      expect.anything(),
    );
  });

  it('outcome lost, the host lists it → recorded from the listing: succeeded', async () => {
    const { adopter, snapshots } = make({ ask: { snapshots: [info()] } });
    await adopter.adoptCreate(fakeCtx('vm.snapshot.create'), taking);
    expect(snapshots.recordTaken).toHaveBeenCalled();
  });

  it('outcome lost, not on the host → failed (take it again); the job failed → failed with its reason', async () => {
    const lost = make({ ask: { snapshots: [] } });
    await expect(lost.adopter.adoptCreate(fakeCtx('vm.snapshot.create'), taking)).rejects.toThrow(
      /does not list it\); take it again/,
    );
    expect(lost.snapshots.recordTaken).not.toHaveBeenCalled();
    const refused = make({ outcome: failedStep('no space left') });
    await expect(refused.adopter.adoptCreate(fakeCtx('vm.snapshot.create'), taking)).rejects.toThrow(
      /no space left/,
    );
  });

  it('already recorded by the dead engine → succeeded without recording twice', async () => {
    const { adopter, snapshots } = make({}, true);
    await expect(adopter.adoptCreate(fakeCtx('vm.snapshot.create'), taking)).resolves.toEqual({
      snapshotId: SNAP,
    });
    expect(snapshots.recordTaken).not.toHaveBeenCalled();
  });
});

describe('snapshot revert adopter', () => {
  it('its job completed → succeeded with the state libvirt reported', async () => {
    const { adopter } = make({ outcome: { state: 'completed', result: { state: 'running' } } });
    await expect(adopter.adoptRevert(fakeCtx('vm.snapshot.revert'), reverting)).resolves.toEqual({
      snapshotId: SNAP,
      state: 'running',
    });
  });

  it("outcome lost: not libvirt's current snapshot → failed (not reverted); current → interrupted (cannot tell)", async () => {
    const notCurrent = await make({ ask: { snapshots: [info(false)] } })
      .adopter.adoptRevert(fakeCtx('vm.snapshot.revert'), reverting)
      .catch((e) => e);
    expect(notCurrent).toBeInstanceOf(DomainError);
    expect(notCurrent.message).toMatch(
      /was reverted: h1 does not show the snapshot as current; revert again/,
    );
    const current = await make({ ask: { snapshots: [info(true)] } })
      .adopter.adoptRevert(fakeCtx('vm.snapshot.revert'), reverting)
      .catch((e) => e);
    expect(current).toBeInstanceOf(TaskUnknowable);
  });
});
