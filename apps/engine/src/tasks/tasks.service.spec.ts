import { ErrorCode, Task, TaskStatus } from '@kelpie/shared-types';
import { fenceWhere, isFencedOut, TaskFenced } from './task-fence';
import { TasksService } from './tasks.service';

const outage = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const task = { id: 't1', type: 'vm.delete', status: TaskStatus.Running } as Task;

/** A TasksService whose database calls are replaced by the spies each test sets up. */
function service() {
  const tasks = Object.create(TasksService.prototype) as TasksService;
  Object.assign(tasks, { logger: { error: jest.fn(), warn: jest.fn() }, stream: { engineId: 'a' } });
  jest.spyOn(tasks, 'start').mockResolvedValue(task);
  return tasks;
}

describe('TasksService.run during a database outage', () => {
  it('keeps trying to record the failure until Postgres answers again (no task left running)', async () => {
    const tasks = service();
    jest.spyOn(tasks, 'get').mockRejectedValueOnce(outage()).mockResolvedValue(task);
    const failed = { ...task, status: TaskStatus.Failed } as Task;
    const fail = jest
      .spyOn(tasks, 'fail')
      .mockRejectedValueOnce(outage())
      .mockRejectedValueOnce(outage())
      .mockResolvedValue(failed);
    const end = await tasks.run(task, async () => {
      throw outage();
    });
    expect(end).toBe(failed);
    expect(fail).toHaveBeenCalledTimes(3);
    expect(fail).toHaveBeenLastCalledWith(
      't1',
      ErrorCode.DatabaseUnavailable,
      expect.stringContaining('ECONNREFUSED'),
      { owner: 'a', generation: 0 },
    );
  });

  it('records a success whose final write met the outage as a success, not a failure', async () => {
    const tasks = service();
    const done = { ...task, status: TaskStatus.Succeeded } as Task;
    const succeed = jest.spyOn(tasks, 'succeed').mockRejectedValueOnce(outage()).mockResolvedValue(done);
    const fail = jest.spyOn(tasks, 'fail');
    const end = await tasks.run(task, async () => ({ removed: true }));
    expect(end).toBe(done);
    expect(succeed).toHaveBeenCalledTimes(2);
    expect(fail).not.toHaveBeenCalled();
  });
});

describe('TasksService.run once another engine claimed the task (fencing)', () => {
  const fenced = () => new TaskFenced('t1', { owner: 'a', generation: 0 }, { owner: 'b', generation: 1 });
  const adopted = { ...task, status: TaskStatus.Succeeded } as Task;

  it('stops the work at its next write and writes nothing more (no failure over the adopter)', async () => {
    const tasks = service();
    const progress = jest.spyOn(tasks, 'progress').mockRejectedValue(fenced());
    const fail = jest.spyOn(tasks, 'fail');
    const succeed = jest.spyOn(tasks, 'succeed');
    jest.spyOn(tasks, 'get').mockResolvedValue(adopted);
    let after = false;
    const end = await tasks.run(task, async (ctx) => {
      await ctx.progress(50, 'half way');
      after = true;
    });
    expect(end).toBe(adopted);
    expect(after).toBe(false);
    expect(progress).toHaveBeenCalledWith('t1', 50, 'half way', undefined, { owner: 'a', generation: 0 });
    expect(fail).not.toHaveBeenCalled();
    expect(succeed).not.toHaveBeenCalled();
    expect((tasks as unknown as { logger: { warn: jest.Mock } }).logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('fenced out: task t1 now belongs to engine b (generation 1)'),
    );
  });

  it('a refused final write (success or failure) is logged, not retried as a failure', async () => {
    const tasks = service();
    jest.spyOn(tasks, 'get').mockResolvedValue(task);
    const succeed = jest.spyOn(tasks, 'succeed').mockRejectedValue(fenced());
    const fail = jest.spyOn(tasks, 'fail').mockRejectedValue(fenced());
    await tasks.run(task, async () => ({ done: true }));
    expect(succeed).toHaveBeenCalledWith('t1', { done: true }, undefined, { owner: 'a', generation: 0 });
    expect(fail).not.toHaveBeenCalled();
    await tasks.run(task, async () => {
      throw new Error('boom');
    });
    expect(fail).toHaveBeenCalledTimes(1);
    expect(fail).toHaveBeenCalledWith('t1', ErrorCode.Internal, 'boom', { owner: 'a', generation: 0 });
  });
});

describe('fence checks', () => {
  it('a fence holds only for its owner and generation', () => {
    const fence = { owner: 'a', generation: 2 };
    expect(fenceWhere(fence)).toEqual({ ownerEngine: 'a', ownerGeneration: 2 });
    expect(fenceWhere(undefined)).toEqual({});
    expect(isFencedOut(fence, { ownerEngine: 'a', ownerGeneration: 2 })).toBe(false);
    expect(isFencedOut(fence, { ownerEngine: 'a', ownerGeneration: 3 })).toBe(true);
    expect(isFencedOut(fence, { ownerEngine: 'b', ownerGeneration: 2 })).toBe(true);
    expect(isFencedOut(fence, { ownerEngine: null, ownerGeneration: 2 })).toBe(true);
    expect(isFencedOut(undefined, { ownerEngine: 'b', ownerGeneration: 9 })).toBe(false);
  });
});
