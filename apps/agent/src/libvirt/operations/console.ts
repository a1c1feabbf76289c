import { timingSafeEqual } from 'node:crypto';
import { constants, openSync } from 'node:fs';
import * as net from 'node:net';
import * as tty from 'node:tty';
import { create } from 'xmlbuilder2';
import { asArray, attr, node, parseXml, type XmlNode } from '../mapping/xml';
import { VirshError } from '../process';
import type { DomainRef, LibvirtClient } from './libvirt-client';
import { withXmlFile } from './xml-file';

/** Attributes of a live `<graphics>` element that `update-device` must see unchanged; the
 * password-related ones are replaced. */
const PASSWORD_ATTRS = new Set(['passwd', 'passwdValidTo', 'connected']);

export interface LiveGraphics {
  port: number;
  attributes: Record<string, string>;
  listens: Array<Record<string, string>>;
  hasPassword: boolean;
}

export interface SerialPty {
  path: string;
}

function attributesOf(el: XmlNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(el)) if (k.startsWith('@_')) out[k.slice(2)] = String(v);
  return out;
}

export interface LiveDisplay {
  /** Only a running (or paused) domain's live XML carries an `id`. */
  running: boolean;
  vnc: LiveGraphics | null;
}

/** Whether the domain runs and its VNC `<graphics>` element, from one live XML (`--security-info`
 * so the current password attribute is visible). Never logged: it may carry the password. */
export function parseLiveVncGraphics(xml: string): LiveDisplay {
  const domain = node(parseXml(xml).domain);
  const running = attr(domain, 'id') !== undefined;
  for (const g of asArray(node(domain?.devices)?.graphics)) {
    if (attr(g, 'type') !== 'vnc') continue;
    const port = Number(attr(g, 'port'));
    const attributes = attributesOf(g);
    return {
      running,
      vnc: {
        port: Number.isInteger(port) && port > 0 ? port : 0,
        attributes,
        listens: asArray(g.listen).map((l) => attributesOf(l)),
        hasPassword: attributes.passwd !== undefined,
      },
    };
  }
  return { running, vnc: null };
}

/** Only a running (or paused) domain's live XML carries an `id`. */
export function isRunningXml(xml: string): boolean {
  return attr(node(parseXml(xml).domain), 'id') !== undefined;
}

/** The pty of the domain's first serial console (live XML), or null. */
export function parseSerialPty(xml: string): SerialPty | null {
  const devices = node(node(parseXml(xml).domain)?.devices);
  for (const kind of ['console', 'serial'] as const) {
    for (const c of asArray(devices?.[kind])) {
      if (attr(c, 'type') !== 'pty') continue;
      const path = attr(c.source, 'path') ?? attr(c, 'tty');
      if (path && /^\/dev\/pts\/\d+$/.test(path)) return { path };
    }
  }
  return null;
}

/** libvirt's passwdValidTo format: UTC, seconds, no zone suffix. */
export function libvirtTimestamp(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/** The element without its password attributes (safe to keep in memory between tickets). */
export function withoutPassword(live: LiveGraphics): LiveGraphics {
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(live.attributes)) if (!PASSWORD_ATTRS.has(k)) attributes[k] = v;
  return { ...live, attributes, hasPassword: false };
}

/** `<graphics>` for update-device: the live element's attributes and listens, with the new password. */
export function graphicsPasswordXml(live: LiveGraphics, password: string, validTo: Date): string {
  const attrs = withoutPassword(live).attributes;
  attrs.passwd = password;
  attrs.passwdValidTo = libvirtTimestamp(validTo);
  attrs.connected = 'keep';
  const g = create().ele('graphics', attrs);
  for (const l of live.listens) g.ele('listen', l);
  return g.end({ headless: true });
}

/** Console operations on top of LibvirtClient (virsh argument arrays only). */
export class ConsoleOperations {
  constructor(private readonly libvirt: LibvirtClient) {}

  /** One virsh process: the running check and the display come from the same live XML. */
  async liveVncGraphics(ref: DomainRef): Promise<LiveDisplay> {
    return parseLiveVncGraphics(await this.libvirt.dumpxml(ref, { secure: true }));
  }

  /** One virsh process: whether the domain runs and its serial pty, from the same live XML. */
  async serialPty(ref: DomainRef): Promise<{ running: boolean; pty: SerialPty | null }> {
    const xml = await this.libvirt.dumpxml(ref);
    return { running: isRunningXml(xml), pty: parseSerialPty(xml) };
  }

  /** `virsh update-device --live` with a private temp file (0700 dir, 0600 file, removed after). A
   * pipe on stdin is not an option: Node's stdio pipes are sockets, which `/dev/stdin` cannot open. */
  async setVncPassword(ref: DomainRef, live: LiveGraphics, password: string, validTo: Date): Promise<void> {
    try {
      await withXmlFile(graphicsPasswordXml(live, password, validTo), (file) =>
        this.libvirt.virsh.run(['update-device', '--domain', ref, '--file', file, '--live']),
      );
    } catch (e) {
      // virsh's message never contains the password, but keep it generic anyway.
      if (e instanceof VirshError && /Could not set password/i.test(e.message)) {
        throw new VirshError(
          'operation_invalid',
          'the VNC server of this domain was started without password authentication ' +
            '(no passwd in its <graphics>); restart it with a password-protected VNC display',
        );
      }
      throw e;
    }
  }
}

export interface SerialBridgeOptions {
  ptyPath: string;
  token: string;
  validForMs: number;
  /** Time a connection has to present the token. */
  handshakeMs?: number;
  log?: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

/**
 * A one-shot TCP listener (all addresses, ephemeral port) that bridges the first connection
 * presenting `token` to the domain's serial pty — the same pty libvirt's own `virsh console`
 * opens. Wrong tokens are dropped; the listener closes at expiry or when the session starts.
 */
export class SerialBridge {
  private server: net.Server | null = null;
  private expiry: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly cleanups: Array<() => void> = [];

  constructor(private readonly o: SerialBridgeOptions) {}

  async listen(): Promise<number> {
    const server = net.createServer((s) => this.onConnection(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: 0, host: '0.0.0.0', exclusive: true }, () => resolve());
    });
    this.expiry = setTimeout(() => this.stopListening(), this.o.validForMs);
    return (server.address() as net.AddressInfo).port;
  }

  private stopListening(): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
    this.server?.close();
    this.server = null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    for (const s of this.sockets) s.destroy();
    for (const c of this.cleanups.splice(0)) c();
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    const want = Buffer.from(this.o.token, 'utf8');
    const timer = setTimeout(() => socket.destroy(), this.o.handshakeMs ?? 5000);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < want.length) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.pause();
      const got = buf.subarray(0, want.length);
      if (!this.server || !timingSafeEqual(got, want)) {
        this.o.log?.warn({}, 'serial console connection with a wrong token dropped');
        socket.destroy();
        return;
      }
      this.stopListening();
      this.bridge(socket, buf.subarray(want.length));
    };
    socket.on('data', onData);
  }

  private bridge(socket: net.Socket, rest: Buffer): void {
    let rfd: number;
    let wfd: number;
    try {
      rfd = openSync(this.o.ptyPath, constants.O_RDWR | constants.O_NOCTTY);
      wfd = openSync(this.o.ptyPath, constants.O_RDWR | constants.O_NOCTTY);
    } catch (e) {
      this.o.log?.warn({ err: (e as Error).message }, 'cannot open the serial pty');
      socket.destroy();
      return;
    }
    const input = new tty.ReadStream(rfd);
    input.setRawMode(true);
    const output = new tty.WriteStream(wfd);
    this.cleanups.push(() => {
      input.destroy();
      output.destroy();
    });
    const end = () => this.close();
    input.on('error', end);
    output.on('error', end);
    input.on('close', end);
    socket.on('close', end);
    input.pipe(socket);
    if (rest.length) output.write(rest);
    socket.pipe(output);
    socket.resume();
    this.o.log?.info({ pty: this.o.ptyPath }, 'serial console session started');
  }
}
