import { TaskRepository } from './task.repository';

describe('a task in the grant tree (TaskAccess)', () => {
  const linkOf = (rows: object[]) =>
    new TaskRepository({ query: async () => rows } as never).accessLink('t1');

  it('inherits from its target, whatever its kind (auth judges the kind)', async () => {
    await expect(linkOf([{ target_type: 'template', target_id: 'x1' }])).resolves.toEqual({
      refs: [],
      up: { type: 'template', id: 'x1' },
    });
  });

  it('null for a task without a target, or that does not exist', async () => {
    await expect(linkOf([{ target_type: null, target_id: null }])).resolves.toBeNull();
    await expect(linkOf([])).resolves.toBeNull();
  });
});
