import type { StreamMessage } from '@kelpie/shared-types';
import { performance } from 'node:perf_hooks';
import { adminToken, authHeaders } from './auth';

export interface TimedMessage<T> {
  /** Date.now() when the message was parsed off the socket. */
  at: number;
  /** performance.now() at the same moment (monotonic). */
  mono: number;
  data: T;
}

export interface SseClient<T = StreamMessage> {
  /** Every message so far, in arrival order. */
  messages: T[];
  /** The same messages with their arrival times (for latency measurements). */
  timed: TimedMessage<T>[];
  /** Raw text received (comments included). */
  raw(): string;
  /** The first message, already received or to come, that matches. */
  waitFor(pred: (m: T) => boolean, timeoutMs?: number): Promise<T>;
  /** The first matching message after the ones next() already returned; earlier ones are skipped. */
  next(pred: (m: T) => boolean, timeoutMs?: number): Promise<TimedMessage<T>>;
  close(): void;
}

const typeOf = (m: unknown) => (m as { type?: unknown }).type;

/** A real HTTP Server-Sent Events client (fetch + stream reader) that stamps each message with its
 * arrival time; resolves once the stream is open. */
export async function openStream<T = StreamMessage>(
  url: string,
  token: string | null = adminToken(),
): Promise<SseClient<T>> {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...authHeaders(token) },
    signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const messages: T[] = [];
  const timed: TimedMessage<T>[] = [];
  const waiters = new Set<() => void>();
  let text = '';
  let buffer = '';
  let consumed = 0;
  let opened: () => void = () => undefined;
  const open = new Promise<void>((r) => (opened = r));
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const at = Date.now();
        const mono = performance.now();
        const chunk = decoder.decode(value, { stream: true });
        text += chunk;
        buffer += chunk;
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
          if (!data) continue;
          const m = JSON.parse(data) as T;
          messages.push(m);
          timed.push({ at, mono, data: m });
        }
        waiters.forEach((w) => w());
      }
    } catch {
      // aborted
    }
  })();
  await open;

  /** Resolves with what `find` returns once it returns something; rejects after timeoutMs. */
  const wait = <R>(find: () => R | undefined, timeoutMs: number): Promise<R> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        const got = messages.map(typeOf).join(', ');
        reject(new Error(`no matching stream message within ${timeoutMs} ms; got ${got}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return {
    messages,
    timed,
    raw: () => text,
    waitFor: (pred, timeoutMs = 5000) => wait(() => messages.find(pred), timeoutMs),
    next: (pred, timeoutMs = 5000) =>
      wait(() => {
        for (; consumed < timed.length; consumed++) {
          if (pred(timed[consumed].data)) return timed[consumed++];
        }
        return undefined;
      }, timeoutMs),
    close: () => controller.abort(),
  };
}
