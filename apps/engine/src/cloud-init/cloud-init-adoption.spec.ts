import { TaskUnknowable } from '../tasks/task-adoption';
import { cp, failedStep, fakeCtx, fakeProbe, fakeTasks } from '../vm-guard/adoption.fakes';
import { CloudInitAdoption } from './cloud-init-adoption';
import type { CloudInitService } from './cloud-init.service';

/** Unit: how a cloud-init task of a dead engine ends, from the host's answers. */
const ISO = '/sd/vm-cidata.iso';
const seed = { target: 'hdc', device: 'cdrom', path: ISO } as never;

function make(answers: Parameters<typeof fakeProbe>[0]) {
  const cloudInit = {
    attached: jest.fn(async (_vm: unknown, res: object, ids: object) => ({ ...res, ...ids })),
  };
  return {
    cloudInit,
    adopter: new CloudInitAdoption(fakeTasks(), fakeProbe(answers), cloudInit as unknown as CloudInitService),
  };
}
const at = (hadIso: boolean) =>
  cp('seed-sent', { isoPath: ISO, hadIso, instanceId: 'i-1', hostname: 'vm1', jobId: 'j' });

describe('cloud-init adopter', () => {
  it('its job completed → succeeded as the original task would have', async () => {
    const result = { isoPath: ISO, target: 'hdc', live: true, sizeBytes: 2048 };
    const { adopter } = make({ outcome: { state: 'completed', result } });
    await expect(adopter.adopt(fakeCtx('vm.cloud_init'), at(false))).resolves.toEqual({
      ...result,
      instanceId: 'i-1',
      hostname: 'vm1',
    });
  });

  it('its job failed → failed with the reason', async () => {
    await expect(
      make({ outcome: failedStep('genisoimage missing') }).adopter.adopt(fakeCtx('vm.cloud_init'), at(false)),
    ).rejects.toThrow(/genisoimage missing/);
  });

  it('outcome lost: the seed in a drive and new → succeeded; absent from a stopped VM → failed', async () => {
    await expect(
      make({ devices: { disks: [seed] } }).adopter.adopt(fakeCtx('vm.cloud_init'), at(false)),
    ).resolves.toMatchObject({
      isoPath: ISO,
      target: 'hdc',
    });
    await expect(
      make({ state: 'shutoff', devices: { disks: [] } }).adopter.adopt(fakeCtx('vm.cloud_init'), at(false)),
    ).rejects.toThrow(/seed was attached .*attach it again/);
  });

  it('outcome lost: the same seed path held before, or a running VM without it → interrupted', async () => {
    const cases: [Parameters<typeof fakeProbe>[0], boolean][] = [
      [{ devices: { disks: [seed] } }, true],
      [{ state: 'running', devices: { disks: [] } }, false],
    ];
    for (const [answers, hadIso] of cases) {
      const err = await make(answers)
        .adopter.adopt(fakeCtx('vm.cloud_init'), at(hadIso))
        .catch((e) => e);
      expect(err).toBeInstanceOf(TaskUnknowable);
    }
  });
});
