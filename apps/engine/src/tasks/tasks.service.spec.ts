import { ErrorCode, Task, TaskStatus } from '@kelpie/shared-types';
import { TasksService } from './tasks.service';

const outage = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const task = { id: 't1', type: 'vm.delete', status: TaskStatus.Running } as Task;

/** A TasksService whose database calls are replaced by the spies each test sets up. */
function service() {
  const tasks = Object.create(TasksService.prototype) as TasksService;
  Object.assign(tasks, { logger: { error: jest.fn(), warn: jest.fn() } });
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
