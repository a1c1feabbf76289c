import { nextTargetDev } from './disks.service';

describe('nextTargetDev', () => {
  it('takes the first free name of the bus family', () => {
    expect(nextTargetDev('virtio', [])).toBe('vda');
    expect(nextTargetDev('virtio', ['vda', 'vdc', 'sda'])).toBe('vdb');
    expect(nextTargetDev('sata', ['vda'])).toBe('sda');
    expect(nextTargetDev('scsi', ['sda'])).toBe('sdb');
    expect(nextTargetDev('ide', [])).toBe('hda');
  });

  it('gives up when all 26 are used', () => {
    const all = [...'abcdefghijklmnopqrstuvwxyz'].map((l) => `vd${l}`);
    expect(nextTargetDev('virtio', all)).toBeUndefined();
  });
});
