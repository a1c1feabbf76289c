import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';

/**
 * Writes what arrives on `socket` into the file from `offset` on, never past `limitBytes`; when the
 * sender half-closes (or breaks off), flushes the file to disk and answers `<bytes written>\n`.
 * The count is exact even for an upload cut in the middle of a chunk, so the next one resumes there.
 */
export async function receiveInto(
  socket: Socket,
  first: Buffer,
  path: string,
  offset: number,
  limitBytes: number,
): Promise<number> {
  const fh = await open(path, 'r+');
  let written = 0;
  let overflow = false;
  const write = async (chunk: Buffer) => {
    const room = limitBytes - written;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length < chunk.length) overflow = true;
    let done = 0;
    while (done < part.length) {
      const { bytesWritten } = await fh.write(part, done, part.length - done, offset + written + done);
      done += bytesWritten;
    }
    written += part.length;
  };
  try {
    if (first.length) await write(first);
    if (!overflow) await eachChunk(socket, async (chunk) => (await write(chunk), !overflow));
  } catch {
    // The sender's connection broke: what was written so far still counts.
  } finally {
    await fh.sync().catch(() => undefined);
    await fh.close();
  }
  if (!socket.destroyed) socket.end(`${written}\n`);
  return written;
}

/** Feeds the socket's chunks one at a time to `each` (paused while it runs) until the sender half-closes
 * or `each` answers false. Unlike `for await`, leaves the socket open for the answer. */
function eachChunk(socket: Socket, each: (chunk: Buffer) => Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    // All of it may have come with the token: then 'end' was emitted before anyone listened here.
    if (socket.readableEnded) return resolve();
    let queue = Promise.resolve(true);
    const stop = (e?: Error) => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onClose);
      queue.then(() => (e ? reject(e) : resolve()), reject);
    };
    const onData = (chunk: Buffer) => {
      socket.pause();
      queue = queue.then(async (go) => {
        const more = go && (await each(chunk));
        if (more) socket.resume();
        else stop();
        return more;
      });
      queue.catch((e: Error) => stop(e));
    };
    const onEnd = () => stop();
    const onClose = () => stop(new Error('connection closed'));
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onClose);
    socket.resume();
  });
}

/** Sends the file from `offset` to the socket, then closes it. */
export async function sendFrom(socket: Socket, path: string, offset: number): Promise<void> {
  await pipeline(createReadStream(path, { start: offset }), socket);
}

/** SHA-256 of a whole file, streamed. */
export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), hash);
  return hash.digest('hex');
}

/** Whether the file has an ISO 9660 primary volume descriptor (`CD001` at byte 32769). */
export async function hasIso9660Signature(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(5);
    const { bytesRead } = await fh.read(buf, 0, 5, 32769);
    return bytesRead === 5 && buf.toString('latin1') === 'CD001';
  } finally {
    await fh.close();
  }
}
