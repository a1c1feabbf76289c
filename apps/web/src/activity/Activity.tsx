import type { Task } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { errorMessage, type SendResult } from '../api/client';
import { fetchItem } from '../api/hooks';
import { keys } from '../api/resources';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { useStreamState, useStreamSubscription } from '../live/useLiveStream';
import { FINAL_TASK_STATUSES, taskMessage } from './taskText';
import { taskTypeLabel } from '../text/humanize';

interface Entry {
  id: number;
  label: string;
  state: 'pending' | 'done' | 'failed' | 'task';
  message?: string;
  task?: Task;
  correlationId?: string;
}

interface ActivityApi {
  /** Shows the mutation in the activity panel (its task and progress when it answers with one) and
   * returns its result; errors are shown with the API's message and rethrown, except those the
   * caller's own dialog answers as a step of its flow (`answered`): their entry just goes. */
  track<T>(
    label: string,
    send: () => Promise<SendResult<T>>,
    answered?: (err: unknown) => boolean,
  ): Promise<SendResult<T>>;
}

const ActivityContext = createContext<ActivityApi>({ track: (_l, send) => send() });
export const useActivity = () => useContext(ActivityContext);

const isTask = (b: unknown): b is Task =>
  !!b && typeof b === 'object' && 'id' in b && 'status' in b && 'progress' in b && 'type' in b;

const AUTO_DISMISS_MS = 6000;
export { FINAL_TASK_STATUSES };

export function ActivityProvider({ children }: { children: ReactNode }) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const nextId = useRef(1);

  const update = useCallback((id: number, patch: Partial<Entry>) => {
    setEntries((es) => es.map((e) => (e.id === id ? { ...e, ...patch } : e)));
  }, []);
  const dismiss = useCallback((id: number) => setEntries((es) => es.filter((e) => e.id !== id)), []);

  // Tasks started by our requests (the 202 body, or a task.created carrying our correlation id).
  useStreamSubscription((msg) => {
    if (msg.type !== 'task.created' || !msg.task.correlationId) return;
    setEntries((es) =>
      es.map((e) =>
        e.correlationId === msg.task.correlationId && !e.task ? { ...e, state: 'task', task: msg.task } : e,
      ),
    );
  });

  const track = useCallback<ActivityApi['track']>(
    async (label, send, answered) => {
      const id = nextId.current++;
      setEntries((es) => [...es.slice(-5), { id, label, state: 'pending' }]);
      try {
        const res = await send();
        if (isTask(res.body)) update(id, { state: 'task', task: res.body, correlationId: res.correlationId });
        else {
          update(id, { state: 'done', correlationId: res.correlationId });
          setTimeout(
            () => setEntries((es) => es.filter((e) => e.id !== id || e.state === 'task')),
            AUTO_DISMISS_MS,
          );
        }
        return res;
      } catch (err) {
        if (answered?.(err)) dismiss(id);
        else update(id, { state: 'failed', message: errorMessage(err) });
        throw err;
      }
    },
    [update, dismiss],
  );

  const api = useMemo(() => ({ track }), [track]);
  return (
    <ActivityContext.Provider value={api}>
      {children}
      <section className="activity" aria-label="Activity">
        {entries.map((e) => (
          <ActivityItem key={e.id} entry={e} onDismiss={() => dismiss(e.id)} />
        ))}
      </section>
    </ActivityContext.Provider>
  );
}

function ActivityItem({ entry, onDismiss }: { entry: Entry; onDismiss: () => void }) {
  return (
    <div className={`toast toast-${entry.state}`} role={entry.state === 'failed' ? 'alert' : 'status'}>
      <div className="toast-head">
        <strong>{entry.label}</strong>
        <button
          type="button"
          className="link-button"
          aria-label={`Dismiss ${entry.label}`}
          onClick={onDismiss}
        >
          ✕
        </button>
      </div>
      {entry.state === 'pending' && <div className="muted">Sending…</div>}
      {entry.state === 'done' && <div>Done</div>}
      {entry.state === 'failed' && <div className="error">{entry.message}</div>}
      {entry.state === 'task' && entry.task && <TaskProgress initial={entry.task} />}
    </div>
  );
}

/** A task's live progress: the stream patches its cache entry; polls only while the stream is down. */
export function TaskProgress({ initial }: { initial: Task }) {
  const streamOpen = useStreamState() === 'open';
  const { data } = useQuery({
    queryKey: keys.detail('tasks', initial.id),
    queryFn: () => fetchItem<Task>('tasks', initial.id),
    initialData: initial,
    staleTime: Infinity,
    refetchInterval: (q) =>
      !streamOpen && !FINAL_TASK_STATUSES.includes((q.state.data ?? initial).status) ? 3000 : false,
  });
  const task = data ?? initial;
  const message = taskMessage(task);
  return (
    <div className="task-progress">
      <div className="row-between">
        <Link to={`/tasks?task=${task.id}`}>{taskTypeLabel(task.type)}</Link>
        <StatusBadge status={task.status} />
      </div>
      <ProgressBar
        value={task.status === 'succeeded' ? 100 : task.progress}
        label={`${task.type} progress`}
      />
      {message.text && <div className={message.error ? 'error small' : 'muted small'}>{message.text}</div>}
    </div>
  );
}
