import { timingSafeEqual } from 'node:crypto';
import * as net from 'node:net';

export interface TransferListenerOptions {
  /** The one-time token the connection must present first (43 bytes, base64url). */
  token: string;
  validForMs: number;
  /** Runs once, on the first connection that presented the token; `rest` is what came after it. */
  onSession: (socket: net.Socket, rest: Buffer) => Promise<void>;
  handshakeMs?: number;
  log?: { warn(o: object, msg: string): void };
}

/**
 * A one-shot TCP listener for one image transfer: the first connection that presents the token gets
 * the session, then the listener closes (also when `validForMs` passes unused). Half-open sockets are
 * allowed: the engine half-closes when it has sent everything and still reads the host's answer.
 */
export class TransferListener {
  private server: net.Server | null = null;
  private expiry: NodeJS.Timeout | null = null;

  constructor(private readonly o: TransferListenerOptions) {}

  async listen(): Promise<number> {
    const server = net.createServer({ allowHalfOpen: true }, (s) => this.onConnection(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: 0, host: '0.0.0.0', exclusive: true }, () => resolve());
    });
    this.expiry = setTimeout(() => this.close(), this.o.validForMs);
    this.expiry.unref();
    return (server.address() as net.AddressInfo).port;
  }

  close(): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
    this.server?.close();
    this.server = null;
  }

  private onConnection(socket: net.Socket): void {
    socket.on('error', () => undefined);
    const size = Buffer.byteLength(this.o.token, 'utf8');
    const timer = setTimeout(() => socket.destroy(), this.o.handshakeMs ?? 5000);
    const chunks: Buffer[] = [];
    let have = 0;
    const take = (chunk: Buffer) => {
      chunks.push(chunk);
      have += chunk.length;
      if (have < size) return;
      clearTimeout(timer);
      socket.off('data', take);
      socket.pause();
      const all = Buffer.concat(chunks);
      this.accept(socket, all.subarray(0, size), all.subarray(size));
    };
    socket.on('data', take);
  }

  /** The first connection with the right token gets the session; any other is dropped. */
  private accept(socket: net.Socket, presented: Buffer, rest: Buffer): void {
    if (!this.server || !timingSafeEqual(presented, Buffer.from(this.o.token, 'utf8'))) {
      this.o.log?.warn({}, 'image transfer connection with a wrong token dropped');
      socket.destroy();
      return;
    }
    this.close();
    this.o.onSession(socket, rest).catch(() => socket.destroy());
  }
}
