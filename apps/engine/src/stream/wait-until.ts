import type { StreamMessage } from '@kelpie/shared-types';
import { filter, type Observable } from 'rxjs';

/**
 * Runs `probe` until it returns a value or `timeoutMs` passed (then undefined): woken by the stream
 * messages `wakeOn` selects, and every `recheckMs` anyway in case one was missed. `onWait` runs
 * before each wait with the time spent so far.
 */
export async function waitUntil<T>(
  messages: Observable<StreamMessage>,
  wakeOn: (m: StreamMessage) => boolean,
  probe: () => Promise<T | undefined>,
  opts: { timeoutMs: number; recheckMs: number; onWait?: (elapsedMs: number) => void },
): Promise<T | undefined> {
  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  let wake: () => void = () => undefined;
  const sub = messages.pipe(filter(wakeOn)).subscribe(() => wake());
  let timer: NodeJS.Timeout | undefined;
  try {
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() >= deadline) return undefined;
      opts.onWait?.(Date.now() - started);
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, Math.min(opts.recheckMs, Math.max(0, deadline - Date.now())));
      });
      clearTimeout(timer);
    }
  } finally {
    clearTimeout(timer);
    sub.unsubscribe();
  }
}
