import type { Task } from '@kelpie/shared-types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, type SendResult } from '../api/client';
import { keys, type Resource } from '../api/resources';
import { useActivity } from './Activity';
import { waitForTask } from './taskText';

const isTask = (b: unknown): b is Task =>
  !!b && typeof b === 'object' && 'progress' in b && 'type' in b && 'status' in b;

export interface ApiMutationSpec<V, T> {
  /** What the activity panel calls it (with its task's live progress when the API answers 202). */
  label: (vars: V) => string;
  send: (vars: V) => Promise<SendResult<T>>;
  /** Collections whose cached lists and details are stale afterwards. */
  invalidates: readonly Resource[];
  /** Settle only when the answered task has finished; a failed task rejects with its reason, so the
   * dialog that sent it stays open and says why. */
  waitTask?: boolean;
  /** Errors the dialog answers itself as a normal step (e.g. "confirm the host key"): not shown as a
   * failed request in the activity panel. */
  answered?: (err: unknown) => boolean;
}

/** A task that did not succeed, as the error a dialog shows (`ErrorBox`, `formErrors`). */
export function taskError(task: Task): ApiError {
  return new ApiError(422, {
    code: 'unprocessable',
    message: task.errorMessage ?? `the task ${task.status}`,
  });
}

/**
 * The portal's one mutation pattern: a react-query mutation (busy = `isPending`, `error`, success)
 * whose request shows in the activity panel, that invalidates the collections it changed, and
 * optionally waits for its task.
 */
export function useApiMutation<V = void, T = unknown>(spec: ApiMutationSpec<V, T>) {
  const qc = useQueryClient();
  const { track } = useActivity();
  return useMutation<SendResult<T>, unknown, V>({
    mutationFn: async (vars) => {
      const res = await track(spec.label(vars), () => spec.send(vars), spec.answered);
      if (spec.waitTask && isTask(res.body)) {
        const done = await waitForTask(res.body);
        if (done.status !== 'succeeded') throw taskError(done);
        return { ...res, body: done as T };
      }
      return res;
    },
    // Not awaited: the caller's success (close, navigate away from a deleted object) comes first; a
    // refetch of what was just deleted must not unmount the dialog before it can.
    onSettled: () => {
      for (const r of spec.invalidates) void qc.invalidateQueries({ queryKey: keys.all(r) });
    },
  });
}
