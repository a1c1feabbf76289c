import { NicRepository } from './nic.repository';

describe('a NIC in the grant tree', () => {
  it("inherits from its VM's chain; null when it does not exist", async () => {
    const findOne = jest.fn(async ({ where }: { where: { id: string } }) =>
      where.id === 'n1' ? { id: 'n1', vmId: 'v1' } : null,
    );
    const repo = new NicRepository({ findOne } as never);
    await expect(repo.accessLink('n1')).resolves.toEqual({ refs: [], up: { type: 'vm', id: 'v1' } });
    await expect(repo.accessLink('x')).resolves.toBeNull();
  });
});
