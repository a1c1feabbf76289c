import { authHeaders } from '../support/auth';
import { Lab, testGuestDomainXml, virshOrThrow } from '@kelpie/lab';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { createWebSocketStream, WebSocket } from 'ws';
import { create } from 'xmlbuilder2';
import { readExact } from '@kelpie/engine/testing';

/** The lab test guest with VNC graphics whose password is set and already expired: nobody gets in
 * until the engine sets a one-time password for a console ticket (as Kelpie's own VMs are defined). */
export function consoleGuestXml(o: {
  name: string;
  kernel: string;
  initrd: string;
  serialLogPath: string;
}): string {
  const xml = testGuestDomainXml({ ...o, memoryMiB: 96, vcpus: 1, virtType: 'qemu', vnc: true });
  const doc = create(xml);
  const graphics = doc.find((n) => n.node.nodeName === 'graphics', true, true);
  if (!graphics) throw new Error('test guest XML has no <graphics>');
  graphics.att('passwd', randomBytes(6).toString('base64url').slice(0, 8));
  graphics.att('passwdValidTo', '2000-01-01T00:00:00');
  return doc.end({ prettyPrint: true });
}

export async function defineAndStart(
  lab: Lab,
  uri: string,
  dir: string,
  name: string,
  guest: { kernel: string; initrd: string },
  sharedDir: string,
): Promise<{ uuid: string; serialLog: string }> {
  const serialLog = join(sharedDir, `${name}.serial.log`);
  const file = join(dir, `${name}.xml`);
  await writeFile(file, consoleGuestXml({ name, ...guest, serialLogPath: serialLog }));
  await virshOrThrow(uri, ['define', file]);
  await virshOrThrow(uri, ['start', name]);
  void lab;
  return { uuid: (await virshOrThrow(uri, ['domuuid', name])).trim().toLowerCase(), serialLog };
}

/** TCP connections (any state) whose local port is `port`, seen inside the lab host. */
export async function connectionsTo(lab: Lab, host: string, port: number): Promise<string[]> {
  const r = await lab.execInHost(host, ['ss', '-tnH', 'state', 'all']);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim())
    .filter((l) => {
      const cols = l.trim().split(/\s+/);
      // State Recv-Q Send-Q Local:Port Peer:Port
      const local = cols[3] ?? '';
      return local.endsWith(`:${port}`) && !/LISTEN/.test(cols[0]);
    });
}

export type WsResult =
  | { ws: WebSocket; stream: Readable & Writable; status?: undefined }
  | { ws?: undefined; stream?: undefined; status: number; body: string };

/** Opens a console WebSocket; a refused upgrade resolves with its HTTP status. */
export function openWs(
  url: string,
  headers: Record<string, string> = authHeaders(),
  tls: { ca?: string; host?: string } = {},
): Promise<WsResult> {
  return new Promise((resolve, reject) => {
    // `host` connects there while the URL's name stays the TLS server name and Host header.
    const ws = new WebSocket(url, {
      headers,
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(tls.host ? { lookup: fixedLookup(tls.host) } : {}),
    });
    // The proxy (RFB server) speaks first, and the ws client may emit a frame that came with the
    // 101 response before 'open': the stream must listen from the start.
    const stream = createWebSocketStream(ws) as Readable & Writable;
    stream.on('error', () => undefined);
    ws.once('open', () => resolve({ ws, stream }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (e) => reject(e));
  });
}

/** RFB client over the proxy: expects security type None only, then ClientInit/ServerInit and one
 * framebuffer update. Returns the framebuffer size and the desktop name. */
export async function rfbThroughProxy(
  ws: WebSocket,
  s: Readable & Writable,
  /** Runs while the session is still open (e.g. to look at the proxy's connection to QEMU). */
  beforeClose?: () => Promise<unknown>,
): Promise<{ width: number; height: number; name: string }> {
  const version = (await readExact(s, 12, 5000, 'version')).toString('latin1');
  expectEq(version, 'RFB 003.008\n', 'version');
  s.write('RFB 003.008\n');
  const types = await readExact(s, 2, 5000, 'security types');
  expectEq([...types].join(','), '1,1', 'security types offered by the proxy');
  s.write(Buffer.from([1]));
  expectEq((await readExact(s, 4, 5000, 'security result')).readUInt32BE(0), 0, 'security result');
  s.write(Buffer.from([1])); // ClientInit, shared
  const init = await readExact(s, 24, 5000, 'ServerInit');
  const width = init.readUInt16BE(0);
  const height = init.readUInt16BE(2);
  const name = (await readExact(s, init.readUInt32BE(20), 5000, 'name')).toString('utf8');
  const req = Buffer.alloc(10);
  req[0] = 3;
  req.writeUInt16BE(width, 6);
  req.writeUInt16BE(height, 8);
  s.write(req);
  const update = await readExact(s, 4, 10000, 'FramebufferUpdate');
  expectEq(update[0], 0, 'message type FramebufferUpdate');
  // Drain what QEMU still sends (a raw framebuffer is ~1 MB) so the close handshake can complete.
  s.on('data', () => undefined);
  if (beforeClose) await beforeClose();
  const closed = new Promise((r) => ws.once('close', r));
  ws.close();
  await closed;
  return { width, height, name };
}

function expectEq(a: unknown, b: unknown, what: string): void {
  if (a !== b) throw new Error(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
}

/** A DNS lookup that answers `ip` for every name. */
function fixedLookup(ip: string) {
  return (_name: string, options: unknown, cb: (...args: unknown[]) => void) => {
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    if (all) cb(null, [{ address: ip, family: 4 }]);
    else cb(null, ip, 4);
  };
}
