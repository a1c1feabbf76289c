import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { RawData, WebSocket } from 'ws';

/** Bytes waiting for the WebSocket before the backend is paused. */
const HIGH_WATER = 1 << 20;

function bytesOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/**
 * A byte stream over a WebSocket's messages, for the RFB handshake with the browser (which reads
 * exact byte counts). `release()` detaches it and returns what the browser sent beyond the
 * handshake, in order, for the relay to forward first.
 */
export function handshakeStream(ws: WebSocket): { stream: Duplex; release(): Buffer[] } {
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      ws.send(chunk, { binary: true }, done);
    },
  });
  const onMessage = (data: RawData) => stream.push(bytesOf(data));
  ws.on('message', onMessage);
  return {
    stream,
    release() {
      ws.off('message', onMessage);
      const rest: Buffer[] = [];
      for (let b = stream.read() as Buffer | null; b !== null; b = stream.read() as Buffer | null)
        rest.push(b);
      stream.destroy();
      return rest;
    },
  };
}

/**
 * Relays bytes between a WebSocket and a TCP socket until either fails (closing is the caller's
 * business). Towards the WebSocket one frame is in flight at a time; TCP chunks that arrive
 * meanwhile are sent together as the next frame (fewer frames and writes when the browser side is
 * the slower one, no delay otherwise), and the backend is paused above HIGH_WATER queued bytes.
 * Towards the backend each message is written as is, and the WebSocket is paused while the backend
 * socket's buffer is full. Byte order is kept in both directions.
 */
export function relay(
  ws: WebSocket,
  backend: Socket,
  opts: { pending?: Buffer[]; onError(why: string): void },
): void {
  let queue: Buffer[] = [];
  let queued = 0;
  let sending = false;
  let pausedBackend = false;

  const flush = () => {
    if (sending || queued === 0 || ws.readyState !== WebSocket.OPEN) return;
    const frame = queue.length === 1 ? queue[0] : Buffer.concat(queue, queued);
    queue = [];
    queued = 0;
    sending = true;
    ws.send(frame, { binary: true }, (err) => {
      sending = false;
      if (err) return opts.onError(`sending to the client failed: ${err.message}`);
      if (pausedBackend) {
        pausedBackend = false;
        backend.resume();
      }
      flush();
    });
  };
  backend.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued >= HIGH_WATER && !pausedBackend) {
      pausedBackend = true;
      backend.pause();
    }
    flush();
  });

  const toBackend = (b: Buffer) => {
    if (backend.write(b) || ws.isPaused) return;
    ws.pause();
    backend.once('drain', () => ws.resume());
  };
  for (const b of opts.pending ?? []) toBackend(b);
  ws.on('message', (data: RawData) => toBackend(bytesOf(data)));
  backend.resume();
}
