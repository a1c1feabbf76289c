import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  HEARTBEAT_QUEUE,
  PROTOCOL_VERSION,
  REPORT_QUEUE,
  commandQueueName,
  type AgentReport,
  type HeartbeatReport,
} from '@kelpie/shared-types';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
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

/** Test support (not used by the agent itself). Plays the engine's side of the queues: consumes heartbeats and reports, sends commands. */
export class FakeEngine {
  readonly heartbeats: Received<HeartbeatReport>[] = [];
  readonly reports: Received<AgentReport>[] = [];
  private readonly conns: Redis[] = [];
  private readonly workers: Worker[] = [];
  readonly commands: Queue;
  readonly commandEvents: QueueEvents;

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
    this.workers.push(
      new Worker(
        HEARTBEAT_QUEUE,
        async (job: Job) => void this.heartbeats.push({ at: Date.now(), data: job.data as HeartbeatReport }),
        {
          connection: conn(),
          prefix,
          concurrency: 1,
        },
      ),
      new Worker(
        REPORT_QUEUE,
        async (job: Job) => void this.reports.push({ at: Date.now(), data: job.data as AgentReport }),
        {
          connection: conn(),
          prefix,
          concurrency: 1,
        },
      ),
    );
    this.commands = new Queue(commandQueueName(hostId), { connection: conn(), prefix });
    // Tests wait on dozens of jobs at once; each waitUntilFinished adds a 'closing' listener.
    this.commands.setMaxListeners(0);
    this.commandEvents = new QueueEvents(commandQueueName(hostId), { connection: conn(), prefix });
  }

  async ready(): Promise<void> {
    await Promise.all([...this.workers.map((w) => w.waitUntilReady()), this.commandEvents.waitUntilReady()]);
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
    return this.commands.add(name, {
      name,
      protocolVersion: opts.protocolVersion ?? PROTOCOL_VERSION,
      correlationId: opts.correlationId ?? `test-${Date.now()}`,
      payload,
    });
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
    await Promise.allSettled(this.workers.map((w) => w.close()));
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
