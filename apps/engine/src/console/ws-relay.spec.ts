import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { handshakeStream, relay } from './ws-relay';

/** A connected pair: `server` is the proxy's side, `client` the browser's. */
async function wsPair(): Promise<{ server: WebSocket; client: WebSocket; close(): void }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const accepted = new Promise<WebSocket>((r) => wss.once('connection', r));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  await new Promise((r) => client.once('open', r));
  const server = await accepted;
  return {
    server,
    client,
    close: () => {
      client.terminate();
      wss.close();
    },
  };
}

/** Stands in for the TCP socket to QEMU: records writes; `emit('data')` plays what QEMU sends. */
function fakeBackend(): { backend: Socket; written: Buffer[] } {
  const written: Buffer[] = [];
  const backend = new Duplex({
    read() {},
    write(chunk: Buffer, _e, done) {
      written.push(chunk);
      done();
    },
  });
  return { backend: backend as unknown as Socket, written };
}

function collect(ws: WebSocket, bytes: number): Promise<Buffer[]> {
  const frames: Buffer[] = [];
  let got = 0;
  return new Promise((resolve) =>
    ws.on('message', (d: Buffer) => {
      frames.push(d);
      got += d.length;
      if (got >= bytes) resolve(frames);
    }),
  );
}

describe('console WebSocket relay', () => {
  it('coalesces backend chunks that wait behind unwritten frames, keeping the byte order', async () => {
    const { server, client, close } = await wsPair();
    try {
      const { backend } = fakeBackend();
      relay(server, backend, {
        onError: (why) => {
          throw new Error(why);
        },
      });
      // 2 MiB in 4 KiB chunks at once: the first 512 KiB go out as they come, the rest waits.
      const chunks = Array.from({ length: 512 }, (_, i) => Buffer.alloc(4096, i & 0xff));
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const received = collect(client, total);
      for (const c of chunks) backend.emit('data', c);
      const frames = await received;
      expect(Buffer.concat(frames).equals(Buffer.concat(chunks))).toBe(true);
      expect(frames.length).toBeLessThan(200); // 128 single chunks + 6 frames of 256 KiB
      expect(Math.max(...frames.map((f) => f.length))).toBe(256 << 10);
    } finally {
      close();
    }
  });

  it('forwards what the browser sent after the handshake, then its messages, in order', async () => {
    const { server, client, close } = await wsPair();
    try {
      const { backend, written } = fakeBackend();
      const hs = handshakeStream(server);
      client.send(Buffer.from('RFB 003.008\n'));
      client.send(Buffer.from([1, 42]));
      const first = await new Promise<Buffer>((r) =>
        hs.stream.once('readable', () => r(hs.stream.read(12) as Buffer)),
      );
      expect(first.toString()).toBe('RFB 003.008\n');
      await new Promise((r) => setTimeout(r, 50));
      relay(server, backend, {
        pending: hs.release(),
        onError: (why) => {
          throw new Error(why);
        },
      });
      client.send(Buffer.from([43]));
      await new Promise((r) => setTimeout(r, 50));
      expect(Buffer.concat(written)).toEqual(Buffer.from([1, 42, 43]));
    } finally {
      close();
    }
  });
});
