import { SnapshotRepository } from './snapshot.repository';

describe('a snapshot in the grant tree', () => {
  it("inherits from its VM's chain; null when it does not exist", async () => {
    const findOne = jest.fn(async ({ where }: { where: { id: string } }) =>
      where.id === 's1' ? { id: 's1', vmId: 'v1' } : null,
    );
    const repo = new SnapshotRepository({ findOne } as never);
    await expect(repo.accessLink('s1')).resolves.toEqual({ refs: [], up: { type: 'vm', id: 'v1' } });
    await expect(repo.accessLink('x')).resolves.toBeNull();
  });
});
