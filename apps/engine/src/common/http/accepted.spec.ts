import type { Response } from 'express';
import { acceptedTask } from './accepted';

describe('acceptedTask', () => {
  it('answers 202 with the task and its Location', () => {
    const calls: string[] = [];
    const res = {
      status(code: number) {
        calls.push(`status ${code}`);
        return this;
      },
      location(url: string) {
        calls.push(`location ${url}`);
        return this;
      },
    } as unknown as Response;
    const task = { id: 'abc' };
    expect(acceptedTask(res, task)).toBe(task);
    expect(calls).toEqual(['status 202', 'location /api/v1/tasks/abc']);
  });
});
