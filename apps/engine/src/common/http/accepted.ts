import type { Task } from '@kelpie/shared-types';
import type { Response } from 'express';
import { API_PREFIX } from '../../app.constants';

/** For long actions: answer 202 with the task and `Location: /api/v1/tasks/{id}` (use with `@Res({ passthrough: true })`). */
export function acceptedTask<T extends Pick<Task, 'id'>>(res: Response, task: T): T {
  res.status(202).location(`/${API_PREFIX}/tasks/${task.id}`);
  return task;
}
