import type { Readable, Writable } from 'node:stream';
import { readExact, vncAuthResponse } from '@kelpie/engine/testing';

export interface RfbSession {
  width: number;
  height: number;
  bitsPerPixel: number;
}

/** Client side of the RFB 3.8 handshake up to ServerInit. With a password it does VNC
 * authentication (type 2) itself; without, it expects security type None (Kelpie's proxy, which
 * authenticated to QEMU already). */
export async function rfbHandshake(s: Readable & Writable, password?: string): Promise<RfbSession> {
  const version = (await readExact(s, 12, 10_000, 'version')).toString('latin1');
  if (!version.startsWith('RFB 003.')) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
  s.write('RFB 003.008\n');
  const count = (await readExact(s, 1, 10_000, 'security type count'))[0];
  const types = [...(await readExact(s, count, 10_000, 'security types'))];
  const wanted = password === undefined ? 1 : 2;
  if (!types.includes(wanted)) throw new Error(`security type ${wanted} not offered (${types.join(',')})`);
  s.write(Buffer.from([wanted]));
  if (wanted === 2) {
    const challenge = await readExact(s, 16, 10_000, 'challenge');
    s.write(vncAuthResponse(password!, challenge));
  }
  const result = (await readExact(s, 4, 10_000, 'security result')).readUInt32BE(0);
  if (result !== 0) throw new Error(`VNC security result ${result}`);
  s.write(Buffer.from([1])); // ClientInit, shared
  const init = await readExact(s, 24, 10_000, 'ServerInit');
  await readExact(s, init.readUInt32BE(20), 10_000, 'desktop name');
  return { width: init.readUInt16BE(0), height: init.readUInt16BE(2), bitsPerPixel: init[4] };
}

function updateRequest(session: RfbSession, incremental: boolean): Buffer {
  const req = Buffer.alloc(10);
  req[0] = 3;
  req[1] = incremental ? 1 : 0;
  req.writeUInt16BE(session.width, 6);
  req.writeUInt16BE(session.height, 8);
  return req;
}

/** Sends one full (non-incremental) FramebufferUpdateRequest and resolves when the first byte of the
 * FramebufferUpdate arrives: the "first picture" moment of a console. */
export async function firstUpdate(s: Readable & Writable, session: RfbSession): Promise<void> {
  s.write(updateRequest(session, false));
  const type = (await readExact(s, 1, 10_000, 'FramebufferUpdate'))[0];
  if (type !== 0) throw new Error(`expected a FramebufferUpdate (0), got message type ${type}`);
}

/**
 * Bulk transfer: asks for the whole framebuffer in Raw encoding `count` times, one request after
 * the previous update fully arrived, and counts the bytes. Parses the stream itself (no copies of
 * pixel data). Resolves with bytes received and the time it took (ms). `afterFirstUpdate`: the
 * type byte of an update was already read (firstUpdate); its rest is drained before counting.
 */
export function rawFullUpdates(
  s: Readable & Writable,
  session: RfbSession,
  count: number,
  afterFirstUpdate = false,
): Promise<{ bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const bpp = session.bitsPerPixel / 8;
    let bytes = 0;
    let done = 0;
    // Parser state: how many bytes the current piece still needs, and what it is.
    let header = afterFirstUpdate ? Buffer.from([0]) : Buffer.alloc(0);
    let need = 4;
    let state: 'update' | 'rect' | 'pixels' = 'update';
    let rectsLeft = 0;
    let draining = afterFirstUpdate;
    let started = performance.now();
    const timer = setTimeout(
      () => finish(new Error(`bulk transfer: ${done}/${count} updates in 120 s`)),
      120_000,
    );
    const finish = (err?: Error) => {
      clearTimeout(timer);
      s.off('data', onData);
      if (err) reject(err);
      else resolve({ bytes, ms: performance.now() - started });
    };
    const nextRect = () => {
      if (rectsLeft === 0) {
        if (draining) {
          draining = false;
          bytes = 0;
          started = performance.now();
        } else done++;
        if (done === count) return finish();
        s.write(updateRequest(session, false));
        state = 'update';
        need = 4;
      } else {
        state = 'rect';
        need = 12;
      }
    };
    const onData = (chunk: Buffer) => {
      let off = 0;
      while (off < chunk.length && done < count) {
        if (state === 'pixels') {
          const take = Math.min(need, chunk.length - off);
          need -= take;
          off += take;
          bytes += take;
          if (need === 0) {
            rectsLeft--;
            nextRect();
          }
          continue;
        }
        const take = Math.min(need - header.length, chunk.length - off);
        header = Buffer.concat([header, chunk.subarray(off, off + take)]);
        off += take;
        bytes += take;
        if (header.length < need) continue;
        if (state === 'update') {
          if (header[0] !== 0) return finish(new Error(`unexpected server message ${header[0]}`));
          rectsLeft = header.readUInt16BE(2);
          header = Buffer.alloc(0);
          nextRect();
        } else {
          const w = header.readUInt16BE(4);
          const h = header.readUInt16BE(6);
          const encoding = header.readInt32BE(8);
          header = Buffer.alloc(0);
          if (encoding !== 0) return finish(new Error(`server sent encoding ${encoding}, asked for Raw`));
          state = 'pixels';
          need = w * h * bpp;
          if (need === 0) {
            rectsLeft--;
            nextRect();
          }
        }
      }
    };
    // SetEncodings: Raw only, so every update is the full pixel data (the same bytes on both paths).
    s.write(Buffer.from([2, 0, 0, 1, 0, 0, 0, 0]));
    s.on('data', onData);
    if (!afterFirstUpdate) s.write(updateRequest(session, false));
  });
}
