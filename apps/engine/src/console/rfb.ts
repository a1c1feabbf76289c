import { createCipheriv } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';

/** RFB (VNC) security negotiation, just enough for the console proxy: it authenticates to the
 * VM's VNC server with the one-time password (VNC authentication) and offers the browser an
 * already-authenticated stream (security type None). After both handshakes the two streams speak
 * the same RFB 3.8 protocol and are piped byte for byte. */

export const RFB_SECURITY_NONE = 1;
export const RFB_SECURITY_VNC = 2;

export class RfbError extends Error {}

/** Reads exactly `n` bytes (paused mode: unread bytes stay buffered for a later pipe). */
export function readExact(stream: Readable, n: number, timeoutMs: number, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      stream.off('readable', tryRead);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.off('error', onError);
    };
    const tryRead = () => {
      const b = stream.read(n) as Buffer | null;
      if (b === null) return;
      cleanup();
      if (b.length < n) reject(new RfbError(`connection closed while reading ${what}`));
      else resolve(b);
    };
    const onEnd = () => {
      cleanup();
      reject(new RfbError(`connection closed while reading ${what}`));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(new RfbError(`${what}: ${e.message}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new RfbError(`timed out reading ${what}`));
    }, timeoutMs);
    stream.on('readable', tryRead);
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    stream.on('error', onError);
    tryRead();
  });
}

function reverseBits(b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
  return r;
}

/** VNC authentication response: the 16-byte challenge DES-encrypted (ECB) with the password as
 * key, each key byte bit-reversed (the RFB quirk). Single DES = 3DES-EDE with K1 = K2 = K3 (plain
 * DES is only in OpenSSL 3's legacy provider). */
export function vncAuthResponse(password: string, challenge: Buffer): Buffer {
  if (challenge.length !== 16) throw new RfbError('VNC challenge must be 16 bytes');
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) key[i] = reverseBits(key[i]);
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}

const VERSION = /^RFB (\d{3})\.(\d{3})\n$/;

async function readReason(s: Readable, timeoutMs: number): Promise<string> {
  const len = (await readExact(s, 4, timeoutMs, 'reason length')).readUInt32BE(0);
  if (len === 0 || len > 4096) return '';
  return (await readExact(s, len, timeoutMs, 'reason')).toString('latin1');
}

/** Client side against the VNC server: version 3.8, VNC authentication with `password`
 * (or None when that is all the server offers). Resolves when the server accepted us. */
export async function authenticateToServer(
  server: Readable & Writable,
  password: string | undefined,
  timeoutMs = 5000,
): Promise<{ securityType: number }> {
  const version = (await readExact(server, 12, timeoutMs, 'server version')).toString('latin1');
  const m = VERSION.exec(version);
  if (!m || Number(m[1]) !== 3 || Number(m[2]) < 8)
    throw new RfbError(`unsupported VNC server version ${JSON.stringify(version)}`);
  server.write('RFB 003.008\n');
  const count = (await readExact(server, 1, timeoutMs, 'security type count'))[0];
  if (count === 0) throw new RfbError(`VNC server refused: ${await readReason(server, timeoutMs)}`);
  const types = [...(await readExact(server, count, timeoutMs, 'security types'))];
  let chosen: number;
  if (types.includes(RFB_SECURITY_VNC) && password !== undefined) chosen = RFB_SECURITY_VNC;
  else if (types.includes(RFB_SECURITY_NONE)) chosen = RFB_SECURITY_NONE;
  else throw new RfbError(`no usable VNC security type among [${types.join(', ')}]`);
  server.write(Buffer.from([chosen]));
  if (chosen === RFB_SECURITY_VNC) {
    const challenge = await readExact(server, 16, timeoutMs, 'VNC challenge');
    server.write(vncAuthResponse(password!, challenge));
  }
  const result = (await readExact(server, 4, timeoutMs, 'security result')).readUInt32BE(0);
  if (result !== 0) {
    const reason = await readReason(server, timeoutMs).catch(() => '');
    throw new RfbError(`VNC authentication failed${reason ? `: ${reason}` : ''}`);
  }
  return { securityType: chosen };
}

/** Server side towards the browser: offers only security type None (the proxy already
 * authenticated). Accepts clients speaking 3.7 or 3.8 (noVNC speaks 3.8). */
export async function acceptClientWithoutAuth(client: Readable & Writable, timeoutMs = 10000): Promise<void> {
  client.write('RFB 003.008\n');
  const version = (await readExact(client, 12, timeoutMs, 'client version')).toString('latin1');
  const m = VERSION.exec(version);
  const minor = m ? Number(m[2]) : 0;
  if (!m || Number(m[1]) !== 3 || minor < 7)
    throw new RfbError(`unsupported VNC client version ${JSON.stringify(version)}`);
  client.write(Buffer.from([1, RFB_SECURITY_NONE]));
  const choice = (await readExact(client, 1, timeoutMs, 'client security type'))[0];
  if (choice !== RFB_SECURITY_NONE) throw new RfbError(`client chose security type ${choice}`);
  if (minor >= 8) {
    const ok = Buffer.alloc(4);
    client.write(ok);
  }
}
