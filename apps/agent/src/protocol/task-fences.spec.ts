import { AgentError } from '../errors/agent-error';
import { TaskFences } from './task-fences';

describe('TaskFences', () => {
  it('refuses a command of an older generation once a newer one was seen for the task', () => {
    const f = new TaskFences();
    f.admit({ taskId: 't1', generation: 0 }, 'volume.create');
    f.admit({ taskId: 't1', generation: 1 }, 'vm.migration-info');
    let err: unknown;
    try {
      f.admit({ taskId: 't1', generation: 0 }, 'volume.delete');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AgentError);
    expect(err).toMatchObject({
      code: 'task_fenced',
      details: { taskId: 't1', generation: 0, highest: 1 },
      message: expect.stringMatching(/volume\.delete of task t1 comes from owner generation 0.*generation 1/),
    });
  });

  it('admits the same generation again (a redelivered job), newer ones, other tasks and unfenced commands', () => {
    const f = new TaskFences();
    f.admit({ taskId: 't1', generation: 2 }, 'vm.start');
    expect(() => f.admit({ taskId: 't1', generation: 2 }, 'vm.start')).not.toThrow();
    expect(() => f.admit({ taskId: 't1', generation: 3 }, 'vm.start')).not.toThrow();
    expect(() => f.admit({ taskId: 't2', generation: 0 }, 'vm.start')).not.toThrow();
    expect(() => f.admit(undefined, 'host.refresh')).not.toThrow();
  });

  it('forgets the least recently raised task beyond its bound', () => {
    const f = new TaskFences(2);
    f.admit({ taskId: 'a', generation: 1 }, 'x');
    f.admit({ taskId: 'b', generation: 1 }, 'x');
    f.admit({ taskId: 'a', generation: 2 }, 'x');
    f.admit({ taskId: 'c', generation: 1 }, 'x');
    // b was forgotten; a (raised last before c) is still known.
    expect(() => f.admit({ taskId: 'a', generation: 1 }, 'x')).toThrow(/generation 1.*generation 2/);
    expect(() => f.admit({ taskId: 'b', generation: 0 }, 'x')).not.toThrow();
  });
});
