import { QueryFailedError } from 'typeorm';
import { DiskRepository } from './disk.repository';

const uniqueViolation = (constraint: string) =>
  new QueryFailedError(
    'UPDATE disk',
    [],
    Object.assign(new Error('duplicate key'), { code: '23505', constraint }),
  );

const LUN = {
  volumePath: 'iqn.2026-12.org.kelpie:t/unit:0:0:1',
  virtualSizeBytes: 2 ** 30,
  allocationBytes: 2 ** 30,
  provisionedAt: new Date(),
};

describe('taking a LUN', () => {
  it('is refused (false) when another disk of the domain holds it already (the unique volume path)', async () => {
    const update = jest.fn(async () => {
      throw uniqueViolation('uq_disk_storage_domain_volume_path');
    });
    await expect(new DiskRepository({ update } as never).takeLun('d1', LUN)).resolves.toBe(false);
  });

  it('is taken (true) when the update goes through, and other failures are thrown', async () => {
    await expect(
      new DiskRepository({ update: jest.fn(async () => ({})) } as never).takeLun('d1', LUN),
    ).resolves.toBe(true);
    const update = jest.fn(async () => {
      throw uniqueViolation('uq_disk_vm_target_dev');
    });
    await expect(new DiskRepository({ update } as never).takeLun('d1', LUN)).rejects.toThrow('duplicate key');
  });

  it('given back, the disk returns to its placeholder path (so the LUN is free for others)', async () => {
    const update = jest.fn(async () => ({}));
    await new DiskRepository({ update } as never).unprovisioned('d1', '/x/d1.img');
    expect(update).toHaveBeenCalledWith({ id: 'd1' }, { provisionedAt: null, volumePath: '/x/d1.img' });
  });
});

describe('a disk in the grant tree (DiskAccess)', () => {
  const linkOf = (row: object | null) =>
    new DiskRepository({ findOne: async () => row } as never).accessLink('d1');

  it("inherits from its VM's chain", async () => {
    await expect(linkOf({ id: 'd1', vmId: 'v1', storageDomainId: 'sd1' })).resolves.toEqual({
      refs: [],
      up: { type: 'vm', id: 'v1' },
    });
  });

  it("a floating disk inherits from its storage domain's chain", async () => {
    await expect(linkOf({ id: 'd1', vmId: null, storageDomainId: 'sd1' })).resolves.toEqual({
      refs: [],
      up: { type: 'storage_domain', id: 'sd1' },
    });
  });

  it('null for a disk that does not exist', async () => {
    await expect(linkOf(null)).resolves.toBeNull();
  });
});
