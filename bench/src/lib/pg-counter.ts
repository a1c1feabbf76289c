import { createServer, connect, type Server, type Socket } from 'node:net';

/** SSLRequest and GSSENCRequest: untyped messages a client may send before its startup message. */
const PRE_STARTUP_CODES = new Set([80877103, 80877104]);

/**
 * A TCP proxy in front of Postgres that counts the statements its clients run, without touching the
 * engine: Postgres here has no pg_stat_statements, and statement logging would go to the server's
 * shared log. It reads the frontend's messages (protocol 3) and records one statement per simple
 * Query and per Execute (the SQL of the Parse before it). It adds a hop to every round trip, the same
 * for whoever the engine serves.
 */
export class PgStatementCounter {
  private server: Server | null = null;
  private statements: string[] = [];

  constructor(private readonly target: { host: string; port: number }) {}

  /** Listens on a free local port; answers it. */
  async listen(): Promise<number> {
    this.server = createServer((client) => this.pipe(client));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('proxy has no port');
    return address.port;
  }

  /** The statements recorded since the last take, and a fresh start. */
  take(): string[] {
    const out = this.statements;
    this.statements = [];
    return out;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private pipe(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    let startup = true;
    let parsed = '';
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        if (startup) {
          if (pending.length < 8) break;
          const len = pending.readInt32BE(0);
          if (pending.length < len) break;
          startup = PRE_STARTUP_CODES.has(pending.readInt32BE(4));
          pending = pending.subarray(len);
          continue;
        }
        if (pending.length < 5) break;
        const len = pending.readInt32BE(1);
        if (pending.length < len + 1) break;
        const type = String.fromCharCode(pending[0]);
        const body = pending.subarray(5, len + 1);
        if (type === 'Q') this.statements.push(cstring(body, 0));
        if (type === 'P') parsed = cstring(body, body.indexOf(0) + 1);
        if (type === 'E') this.statements.push(parsed);
        pending = pending.subarray(len + 1);
      }
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }
}

/** The NUL-terminated string at `from`. */
function cstring(buf: Buffer, from: number): string {
  const end = buf.indexOf(0, from);
  return buf.toString('utf8', from, end < 0 ? buf.length : end);
}
