import { STREAM_HEARTBEAT_SECONDS, StreamMessage, StreamResyncMessage } from '@kelpie/shared-types';
import { Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';

/** A dropped client has this long to take its last bytes (the resync message) before its socket is cut. */
export const SSE_DROP_GRACE_MS = 30_000;

const logger = new Logger('Stream');

export interface SseConnectionOptions {
  /** Bytes the engine may hold for this client (not yet taken by its socket) before dropping it. */
  maxBacklogBytes: number;
  /** Called once when the connection is over, whichever way it ends. */
  onClose: () => void;
  /** Who the client is, for the log line when it is dropped. */
  client: string;
}

/**
 * Serves one Server-Sent Events connection. A client that does not read would make the engine
 * buffer every message for it without end; once the bytes waiting for its socket would pass the
 * bound, it gets a `stream.resync` message instead of the next one, its subscription is dropped at
 * once (nothing more is queued for it) and the response ends — cut after a grace if it still does
 * not read. The portal reloads its data when it reconnects.
 */
export function serveSse(
  req: Request,
  res: Response,
  messages: Observable<StreamMessage>,
  options: SseConnectionOptions,
): void {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.write(`retry: 3000\n: connected\n\n`);

  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    subscription.unsubscribe();
    options.onClose();
  };
  const send = (chunk: string) => {
    if (closed) return;
    if (res.writableLength + Buffer.byteLength(chunk) > options.maxBacklogBytes) return drop();
    res.write(chunk);
  };
  const drop = () => {
    const backlog = res.writableLength;
    close();
    logger.log(`dropped a stream client that does not read (${options.client}, ${backlog} bytes waiting)`);
    const resync: StreamResyncMessage = {
      type: 'stream.resync',
      time: new Date().toISOString(),
      refs: [],
      reason: `this client fell behind (over ${options.maxBacklogBytes} bytes unread): messages were lost; reload and reconnect`,
    };
    res.end(`event: message\ndata: ${JSON.stringify(resync)}\n\n`);
    const cut = setTimeout(() => res.destroy(), SSE_DROP_GRACE_MS);
    cut.unref();
    res.once('finish', () => clearTimeout(cut));
    res.once('close', () => clearTimeout(cut));
  };

  const heartbeat = setInterval(() => send(': heartbeat\n\n'), STREAM_HEARTBEAT_SECONDS * 1000);
  const subscription = messages.subscribe({
    next: (m) => send(`event: message\ndata: ${JSON.stringify(m)}\n\n`),
    // The engine is shutting down: end the response so the HTTP server can close.
    complete: () => {
      close();
      res.end();
    },
  });
  req.on('close', close);
}
