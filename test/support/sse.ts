import type { StreamMessage } from '@kelpie/shared-types';

export interface SseClient {
  messages: StreamMessage[];
  /** Raw text received (comments included). */
  raw(): string;
  waitFor(pred: (m: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  close(): void;
}

/** A real HTTP Server-Sent Events client (fetch + stream reader); resolves once the stream is open. */
export async function openStream(url: string): Promise<SseClient> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  let text = '';
  let buffer = '';
  let opened: () => void = () => undefined;
  const open = new Promise<void>((r) => (opened = r));
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
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
          if (data) messages.push(JSON.parse(data) as StreamMessage);
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
    raw: () => text,
    waitFor: (pred, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = messages.find(pred);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching stream message within ${timeoutMs} ms; got ${messages.map((m) => m.type).join(', ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => controller.abort(),
  };
}
