import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { RawData, WebSocket } from 'ws';

/** Bytes handed to the WebSocket and not yet written to its socket: beyond this, chunks wait. */
const IN_FLIGHT_MAX = 512 << 10;
/** Largest frame made of waiting chunks (the browser decodes a frame only once it is complete). */
const FRAME_MAX = 256 << 10;
/** Bytes waiting before the backend is paused. */
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
 * business). Towards the WebSocket each TCP chunk becomes a frame at once while less than
 * IN_FLIGHT_MAX bytes are unwritten; beyond that chunks wait and are then sent together, up to
 * FRAME_MAX per frame (fewer frames and writes when the browser side is the slower one), and the
 * backend is paused above HIGH_WATER waiting bytes. Towards the backend each message is written as
 * is, and the WebSocket is paused while the backend socket's buffer is full. Byte order is kept in
 * both directions.
 */
export function relay(
  ws: WebSocket,
  backend: Socket,
  opts: { pending?: Buffer[]; onError(why: string): void },
): void {
  const queue: Buffer[] = [];
  let queued = 0;
  let inFlight = 0;
  let pausedBackend = false;

  const nextFrame = (): Buffer => {
    if (queue[0].length >= FRAME_MAX || queue.length === 1) return queue.shift()!;
    const parts: Buffer[] = [];
    let size = 0;
    while (queue.length && size + queue[0].length <= FRAME_MAX) {
      size += queue[0].length;
      parts.push(queue.shift()!);
    }
    return Buffer.concat(parts, size);
  };
  const flush = () => {
    while (queued > 0 && inFlight < IN_FLIGHT_MAX && ws.readyState === WebSocket.OPEN) {
      const frame = nextFrame();
      queued -= frame.length;
      inFlight += frame.length;
      ws.send(frame, { binary: true }, (err) => {
        inFlight -= frame.length;
        if (err) return opts.onError(`sending to the client failed: ${err.message}`);
        if (pausedBackend && queued < HIGH_WATER) {
          pausedBackend = false;
          backend.resume();
        }
        flush();
      });
    }
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
