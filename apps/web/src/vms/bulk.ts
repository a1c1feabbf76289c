import type { Task } from '@kelpie/shared-types';
import { errorMessage } from '../api/client';

/** The outcome of a bulk action for one VM, as the bulk dialog lists it. */
export type BulkOutcome =
  | { state: 'skipped'; reason: string }
  | { state: 'waiting' }
  | { state: 'sending' }
  | { state: 'task'; task: Task }
  | { state: 'done' }
  | { state: 'failed'; message: string };

const isTask = (b: unknown): b is Task => !!b && typeof b === 'object' && 'id' in b && 'progress' in b;

/**
 * Runs `send` for every item, at most `parallel` at a time, reporting each outcome as it changes; one
 * failure never stops the others.
 */
export async function runBulk<T extends { id: string }>(
  items: T[],
  send: (item: T) => Promise<{ body: unknown }>,
  report: (id: string, outcome: BulkOutcome) => void,
  parallel = 6,
): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      report(item.id, { state: 'sending' });
      try {
        const res = await send(item);
        report(item.id, isTask(res.body) ? { state: 'task', task: res.body } : { state: 'done' });
      } catch (err) {
        report(item.id, { state: 'failed', message: errorMessage(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, () => worker()));
}

export function bulkSummary(outcomes: BulkOutcome[]): string {
  const n = (s: BulkOutcome['state']) => outcomes.filter((o) => o.state === s).length;
  const accepted = n('task') + n('done');
  const parts = [`${accepted} accepted`];
  if (n('failed')) parts.push(`${n('failed')} refused`);
  if (n('skipped')) parts.push(`${n('skipped')} skipped`);
  if (n('sending') + n('waiting')) parts.push(`${n('sending') + n('waiting')} pending`);
  return parts.join(', ');
}
