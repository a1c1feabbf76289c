import { ErrorCode } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { assertBusFitsMachine } from './machine-bus';

const thrown = (f: () => void): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('assertBusFitsMachine', () => {
  it('refuses IDE disks on q35 with 400 naming each offending field', () => {
    const e = thrown(() =>
      assertBusFitsMachine(
        'q35',
        [
          { bus: 'virtio', field: 'disks[0].bus' },
          { bus: 'ide', field: 'disks[1].bus' },
        ],
        'vm1',
      ),
    );
    expect(e.code).toBe(ErrorCode.ValidationFailed);
    expect(e.message).toBe('VM vm1 is a q35 machine: IDE disks cannot attach to it');
    expect(e.details).toEqual([
      { field: 'disks[1].bus', reason: 'a q35 machine has no IDE controller: use virtio, sata or scsi' },
    ]);
  });

  it('names the disk when the machine type is what changes', () => {
    const e = thrown(() =>
      assertBusFitsMachine('q35', [{ bus: 'ide', field: 'machineType', disk: 'old-hd' }], 'vm1'),
    );
    expect(e.details).toEqual([
      { field: 'machineType', reason: expect.stringMatching(/^disk old-hd is on the IDE bus; /) },
    ]);
  });

  it('accepts IDE on pc and every other bus on q35', () => {
    expect(() => assertBusFitsMachine('pc', [{ bus: 'ide', field: 'bus' }], 'vm1')).not.toThrow();
    for (const bus of ['virtio', 'sata', 'scsi'] as const)
      expect(() => assertBusFitsMachine('q35', [{ bus, field: 'bus' }], 'vm1')).not.toThrow();
  });
});
