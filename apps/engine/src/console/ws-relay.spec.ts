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
  it('coalesces backend chunks queued behind a frame in flight, keeping the byte order', async () => {
    const { server, client, close } = await wsPair();
    try {
      const { backend } = fakeBackend();
      relay(server, backend, {
        onError: (why) => {
          throw new Error(why);
        },
      });
      const chunks = Array.from({ length: 500 }, (_, i) => Buffer.from([i & 0xff, (i >> 8) & 0xff, 7]));
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const received = collect(client, total);
      for (const c of chunks) backend.emit('data', c);
      const frames = await received;
      expect(Buffer.concat(frames)).toEqual(Buffer.concat(chunks));
      // The first chunk goes out at once; the other 499 arrived while it was in flight.
      expect(frames.length).toBe(2);
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
