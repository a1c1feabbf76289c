import { Any } from 'typeorm';
import { linkOfRow, treeRefs, visibleRows } from './access-tree.port';

type Row = { id: string; clusterId: string; datacenterId: string | null };

describe("the owners' helpers of the grant tree", () => {
  it('linkOfRow: reads only the id and the parent columns, and names them nearest first', async () => {
    const findOne = jest.fn(async () => ({ id: 'v1', clusterId: 'c1', datacenterId: 'dc1' }));
    await expect(
      linkOfRow<Row>({ findOne } as never, 'v1', 'vm', [
        ['cluster', 'clusterId'],
        ['datacenter', 'datacenterId'],
      ]),
    ).resolves.toEqual({
      refs: [
        { type: 'vm', id: 'v1' },
        { type: 'cluster', id: 'c1' },
        { type: 'datacenter', id: 'dc1' },
      ],
    });
    expect(findOne).toHaveBeenCalledWith({
      select: { id: true, clusterId: true, datacenterId: true },
      where: { id: 'v1' },
    });
  });

  it('linkOfRow: null when the row does not exist; an empty parent column is left out', async () => {
    await expect(linkOfRow<Row>({ findOne: async () => null } as never, 'x', 'vm', [])).resolves.toBeNull();
    const findOne = async () => ({ id: 'c1', datacenterId: null });
    await expect(
      linkOfRow<Row>({ findOne } as never, 'c1', 'cluster', [['datacenter', 'datacenterId']]),
    ).resolves.toEqual({ refs: [{ type: 'cluster', id: 'c1' }] });
  });

  it('visibleRows: one statement, rows in the ids or under any of the parents', async () => {
    const find = jest.fn(async () => [{ id: 'v1' }, { id: 'v2' }]);
    const ids = await visibleRows<Row>(
      { find } as never,
      ['v1'],
      [
        ['clusterId', ['c1']],
        ['datacenterId', []],
      ],
    );
    expect(ids).toEqual(new Set(['v1', 'v2']));
    expect(find).toHaveBeenCalledTimes(1);
    expect(find).toHaveBeenCalledWith({
      select: { id: true },
      where: [{ id: Any(['v1']) }, { clusterId: Any(['c1']) }, { datacenterId: Any([]) }],
    });
  });

  it('treeRefs: leaves out empty ids', () => {
    expect(treeRefs(['vm', 'v1'], ['cluster', null], ['datacenter', undefined])).toEqual([
      { type: 'vm', id: 'v1' },
    ]);
  });
});
