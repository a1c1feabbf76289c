import { performance } from 'node:perf_hooks';

export interface TimedMessage<T = Record<string, unknown>> {
  /** Date.now() when the message was parsed off the socket. */
  at: number;
  /** performance.now() at the same moment (monotonic). */
  mono: number;
  data: T;
}

export interface SseReader<T> {
  messages: TimedMessage<T>[];
  next(pred: (m: T) => boolean, timeoutMs: number): Promise<TimedMessage<T>>;
  close(): void;
}

/** A Server-Sent Events client that stamps each message with its arrival time. */
export async function openSse<T = Record<string, unknown>>(url: string): Promise<SseReader<T>> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const messages: TimedMessage<T>[] = [];
  const waiters = new Set<() => void>();
  let consumed = 0;
  let buffer = '';
  let opened!: () => void;
  const open = new Promise<void>((r) => (opened = r));
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const at = Date.now();
        const mono = performance.now();
        buffer += decoder.decode(value, { stream: true });
        opened();
        let idx: number;
        while ((idx = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n');
          if (data) messages.push({ at, mono, data: JSON.parse(data) as T });
        }
        waiters.forEach((w) => w());
      }
    } catch {
      // aborted
    }
  })();
  await open;
  return {
    messages,
    /** The first message after the ones already returned that matches; earlier ones are skipped. */
    next: (pred, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          for (; consumed < messages.length; consumed++) {
            if (pred(messages[consumed].data)) {
              const m = messages[consumed++];
              waiters.delete(check);
              clearTimeout(timer);
              resolve(m);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching stream message within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => controller.abort(),
  };
}
