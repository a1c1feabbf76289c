import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  PROTOCOL_VERSION,
  agentOutboxKey,
  commandQueueName,
  commandSigningInput,
  OUTBOX_FIELD,
  type AgentOutbox,
  type AgentReport,
  type HeartbeatReport,
} from '@kelpie/shared-types';
import { Queue, QueueEvents, type Job } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';

const execFileP = promisify(execFile);
export const ROOT = join(__dirname, '..', '..', '..', '..');
export const AGENT_ENTRY = join(ROOT, 'apps', 'agent', 'dist', 'main.js');

/** Builds the agent (and what it imports at run time) so the test runs the real `node dist/main.js`. */
export async function buildAgent(): Promise<void> {
  for (const pkg of ['packages/shared-types', 'packages/host-probe', 'apps/agent']) {
    await execFileP(
      join(ROOT, 'node_modules', '.bin', 'tsc'),
      ['-p', join(ROOT, pkg, 'tsconfig.build.json')],
      { cwd: ROOT },
    );
  }
  if (!existsSync(AGENT_ENTRY)) throw new Error(`agent build did not produce ${AGENT_ENTRY}`);
}

export interface Received<T> {
  at: number;
  data: T;
}

/** Test support (not used by the agent itself). Plays the engine's side of the queues: reads the
 * host's heartbeat and report outboxes, sends commands signed as the engine signs them (an agent
 * given `publicKeyPem` in its credentials runs them; `sendUnsigned` is what a rogue client can do). */
export class FakeEngine {
  readonly heartbeats: Received<HeartbeatReport>[] = [];
  readonly reports: Received<AgentReport>[] = [];
  private readonly conns: Redis[] = [];
  private readonly readers: Promise<void>[] = [];
  private closed = false;
  readonly commands: Queue;
  readonly commandEvents: QueueEvents;
  private readonly signingKey = generateKeyPairSync('ed25519');
  readonly publicKeyPem = this.signingKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  constructor(
    readonly redisUrl: string,
    readonly prefix: string,
    readonly hostId: string,
  ) {
    const conn = () => {
      const c = new IORedis(redisUrl, { maxRetriesPerRequest: null });
      this.conns.push(c);
      return c;
    };
    this.readers.push(
      this.read(conn(), 'heartbeats', (data) =>
        this.heartbeats.push({ at: Date.now(), data: data as HeartbeatReport }),
      ),
      this.read(conn(), 'reports', (data) =>
        this.reports.push({ at: Date.now(), data: data as AgentReport }),
      ),
    );
    this.commands = new Queue(commandQueueName(hostId), { connection: conn(), prefix });
    // Tests wait on dozens of jobs at once; each waitUntilFinished adds a 'closing' listener.
    this.commands.setMaxListeners(0);
    this.commandEvents = new QueueEvents(commandQueueName(hostId), { connection: conn(), prefix });
  }

  async ready(): Promise<void> {
    await this.commandEvents.waitUntilReady();
  }

  /** Follows one outbox stream from its start (entries the agent wrote before the test looked count). */
  private async read(redis: Redis, outbox: AgentOutbox, push: (data: unknown) => void): Promise<void> {
    const key = agentOutboxKey(this.prefix, this.hostId, outbox);
    let last = '0';
    while (!this.closed) {
      const got = await redis.xread('COUNT', 500, 'BLOCK', 200, 'STREAMS', key, last).catch(() => null);
      for (const [, entries] of got ?? [])
        for (const [id, fields] of entries) {
          last = id;
          const at = fields.indexOf(OUTBOX_FIELD);
          if (at >= 0) push(JSON.parse(fields[at + 1]!));
        }
    }
  }

  ofKind<K extends AgentReport['kind']>(kind: K, since = 0): Received<Extract<AgentReport, { kind: K }>>[] {
    return this.reports.filter((r) => r.data.kind === kind && r.at >= since) as Received<
      Extract<AgentReport, { kind: K }>
    >[];
  }

  async waitFor<T>(what: string, fn: () => T | undefined | null | false, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async send(
    name: string,
    payload: unknown,
    opts: { protocolVersion?: number; correlationId?: string } = {},
  ): Promise<Job> {
    const jobId = randomUUID();
    const envelope = {
      name,
      protocolVersion: opts.protocolVersion ?? PROTOCOL_VERSION,
      correlationId: opts.correlationId ?? `test-${Date.now()}`,
      payload,
    };
    const issuedAt = Date.now();
    const input = Buffer.from(commandSigningInput(this.hostId, jobId, envelope, issuedAt), 'utf8');
    const signature = { issuedAt, value: sign(null, input, this.signingKey.privateKey).toString('base64') };
    return this.commands.add(name, { ...envelope, signature }, { jobId });
  }

  /** A job as anyone with write access to the queue can add it: unsigned. */
  async sendUnsigned(name: string, payload: unknown): Promise<Job> {
    return this.commands.add(name, { name, protocolVersion: PROTOCOL_VERSION, payload });
  }

  /** Resolves with the result or rejects with the failedReason. */
  async run(
    name: string,
    payload: unknown,
    opts: { protocolVersion?: number } = {},
    timeoutMs = 60_000,
  ): Promise<unknown> {
    const job = await this.send(name, payload, opts);
    return job.waitUntilFinished(this.commandEvents, timeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.readers);
    await Promise.allSettled([this.commands.close(), this.commandEvents.close()]);
    await Promise.allSettled(this.conns.map((c) => c.quit()));
  }

  /** Removes every key of this prefix. */
  static async wipe(redisUrl: string, prefix: string): Promise<void> {
    const r = new IORedis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
    await r.quit();
  }
}

/** The agent as a real child process (`node apps/agent/dist/main.js`), logs to a file. */
export class AgentProcess {
  private exited: Promise<{ code: number | null; signal: string | null }>;

  private constructor(
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(env: Record<string, string>, logFile: string): Promise<AgentProcess> {
    await mkdir(join(logFile, '..'), { recursive: true });
    const out = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(process.execPath, [AGENT_ENTRY], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    return new AgentProcess(child, logFile);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM and wait; SIGKILL after graceMs. */
  async stop(graceMs = 15_000): Promise<{ code: number | null; signal: string | null; ms: number }> {
    const t0 = Date.now();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const r = await this.exited;
    clearTimeout(t);
    return { ...r, ms: Date.now() - t0 };
  }
}
