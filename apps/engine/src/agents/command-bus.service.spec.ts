import { EngineConfig } from '../config/config.schema';
import { AgentCommandError } from './agent-command.error';
import { commandSigningInput, encodeAgentError, type CommandEnvelope } from '@kelpie/shared-types';
import { TaskFenced } from '../tasks/task-fence';
import { runInTaskScope } from '../tasks/task-scope';
import { CommandSigner } from '../trust/command-signer';
import { verify } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNEL_IDLE_MS, CommandBus } from './command-bus.service';

// BullMQ and Redis are replaced by fakes: this is about when per-host channels open and close.
// (The real round trip through Redis and an agent is covered by test/agent and test/platform.)
interface Closable {
  name?: string;
  closed?: boolean;
  disconnected?: boolean;
}
interface Registry {
  queues: Closable[];
  events: Closable[];
  connections: Closable[];
  /** Jobs queued and not finished yet: job id → resolve(result). */
  pending: Map<string, (result: unknown) => void>;
  /** Jobs that vanished from "Redis" (a flushed queue). */
  flushed: Set<string>;
  /** What was queued (job id → envelope) and how to fail a pending job (job id → reject). */
  added: Map<string, unknown>;
  rejecters: Map<string, (err: Error) => void>;
}

jest.mock('bullmq', () => {
  const registry: Registry = {
    queues: [],
    events: [],
    connections: [],
    pending: new Map(),
    flushed: new Set(),
    added: new Map(),
    rejecters: new Map(),
  };
  class Job {
    static async fromId(_queue: unknown, id: string) {
      return registry.flushed.has(id) ? undefined : { getState: async () => 'active' };
    }
  }
  class Queue {
    closed = false;
    constructor(readonly name: string) {
      registry.queues.push(this);
    }
    setMaxListeners() {
      return this;
    }
    on() {
      return this;
    }
    toKey(id: string) {
      return `test:${this.name}:${id}`;
    }
    getBackend() {
      return { client: Promise.resolve({ get: async () => 'agent-lock-token' }) };
    }
    async add(_name: string, data: unknown, opts: { jobId: string }) {
      registry.added.set(opts.jobId, data);
      const result = new Promise((resolve, reject) => {
        registry.pending.set(opts.jobId, resolve);
        registry.rejecters.set(opts.jobId, reject);
      });
      return {
        id: opts.jobId,
        waitUntilFinished: () => result,
        getState: async () => 'completed',
        remove: async () => undefined,
      };
    }
    async close() {
      this.closed = true;
    }
  }
  class QueueEvents {
    closed = false;
    constructor(readonly name: string) {
      registry.events.push(this);
    }
    on() {
      return this;
    }
    off() {
      return this;
    }
    emit() {
      return true;
    }
    async waitUntilReady() {}
    async close() {
      this.closed = true;
    }
  }
  return { Queue, QueueEvents, Job, registry };
});
jest.mock('./bullmq-connection', () => ({
  bullConnection: () => {
    const conn = {
      disconnected: false,
      disconnect: () => void (conn.disconnected = true),
    };
    (jest.requireMock('bullmq') as { registry: Registry }).registry.connections.push(conn);
    return conn;
  },
}));

const opened = (jest.requireMock('bullmq') as { registry: Registry }).registry;
const pending = opened.pending;

const config = { redisUrl: 'redis://fake', redisPrefix: 'test' } as EngineConfig;
const signer = new CommandSigner({
  commandKeyFile: join(mkdtempSync(join(tmpdir(), 'kelpie-bus-')), 'key.pem'),
});
const HOST_A = '00000000-0000-4000-8000-00000000000a';
const HOST_B = '00000000-0000-4000-8000-00000000000b';
const VM = '00000000-0000-4000-8000-000000000001';
const snapshot = { ok: true };

/** Completes every job queued so far with a valid vm.undefine result. */
function finishAll() {
  for (const [id, resolve] of pending) {
    pending.delete(id);
    resolve(snapshot);
  }
}

describe('CommandBus channels', () => {
  let bus: CommandBus;
  const send = (host: string) => bus.send(host, 'vm.undefine', { uuid: VM });
  const flush = () => new Promise((r) => setImmediate(r));

  beforeEach(() => {
    opened.queues.length = opened.events.length = opened.connections.length = 0;
    pending.clear();
    bus = new CommandBus(config, signer);
  });
  afterEach(() => bus.onApplicationShutdown());

  it('opens one channel per host and reuses it', async () => {
    const sends = [send(HOST_A), send(HOST_A), send(HOST_B)];
    await flush();
    finishAll();
    await Promise.all(sends);
    expect(opened.events.map((e) => e.name).sort()).toEqual(
      [`host-${HOST_A}-commands`, `host-${HOST_B}-commands`].sort(),
    );
    expect(bus.openChannels).toBe(2);
  });

  it('posts a notification to every host of a fleet without a Redis connection per host', async () => {
    const hosts = Array.from(
      { length: 50 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    await Promise.all(hosts.map((h) => bus.post(h, 'host.refresh', {})));
    expect(opened.queues).toHaveLength(50);
    expect(pending.size).toBe(50);
    expect(opened.events).toHaveLength(0);
    // Only the producer: no QueueEvents connection was opened for a command nobody waits on.
    expect(opened.connections).toHaveLength(1);
    // A command that waits opens the host's result stream on the channel the post created.
    const waiting = send(hosts[0]!);
    await flush();
    finishAll();
    await expect(waiting).resolves.toEqual(snapshot);
    expect(opened.queues).toHaveLength(50);
    expect(opened.events.map((e) => e.name)).toEqual([`host-${hosts[0]}-commands`]);
  });

  it('refuses a malformed payload before anything is queued', async () => {
    await expect(bus.post(HOST_A, 'vm.undefine', { uuid: 'not-a-uuid' })).rejects.toMatchObject({
      code: 'invalid_payload',
    });
    expect(pending.size).toBe(0);
  });

  it('closes a channel idle for CHANNEL_IDLE_MS, with its QueueEvents connection, and reopens on demand', async () => {
    const first = send(HOST_A);
    await flush();
    finishAll();
    await first;
    const t0 = Date.now();
    await bus.closeIdle(t0 + CHANNEL_IDLE_MS - 1000);
    expect(bus.openChannels).toBe(1);
    await bus.closeIdle(t0 + CHANNEL_IDLE_MS + 1000);
    expect(bus.openChannels).toBe(0);
    expect(opened.events[0]!.closed).toBe(true);
    expect(opened.queues[0]!.closed).toBe(true);
    // The producer connection stays; the events connection of the host goes.
    const [producer, eventsConnection] = opened.connections;
    expect(producer!.disconnected).toBe(false);
    expect(eventsConnection!.disconnected).toBe(true);

    const again = send(HOST_A);
    await flush();
    finishAll();
    await expect(again).resolves.toEqual(snapshot);
    expect(opened.events).toHaveLength(2);
    expect(bus.openChannels).toBe(1);
  });

  it('never closes a channel with a command in flight, however old', async () => {
    const slow = send(HOST_A);
    await flush();
    await bus.closeIdle(Date.now() + 10 * CHANNEL_IDLE_MS);
    expect(bus.openChannels).toBe(1);
    expect(opened.events[0]!.closed).toBe(false);
    finishAll();
    await expect(slow).resolves.toEqual(snapshot);
    // Idle from now on: closed once the idle time has passed after the command finished.
    await bus.closeIdle(Date.now() + CHANNEL_IDLE_MS + 1);
    expect(bus.openChannels).toBe(0);
  });

  it('closes everything on shutdown', async () => {
    const sends = [send(HOST_A), send(HOST_B)];
    await flush();
    finishAll();
    await Promise.all(sends);
    await bus.onApplicationShutdown();
    expect(opened.events.every((e) => e.closed)).toBe(true);
    expect(opened.connections.every((c) => c.disconnected)).toBe(true);
  });
});

describe('CommandBus watchdog', () => {
  let bus: CommandBus;
  beforeEach(() => {
    pending.clear();
    opened.flushed.clear();
    bus = new CommandBus(config, signer);
    bus.watchdogMs = 10;
  });
  afterEach(() => bus.onApplicationShutdown());

  it('a command flushed from Redis fails with command_lost within a few checks, not after its timeout', async () => {
    const waiting = bus.send(HOST_A, 'vm.undefine', { uuid: VM }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    // Healthy (active, locked) so far: still waiting.
    expect(pending.size).toBe(1);
    for (const id of pending.keys()) opened.flushed.add(id);
    const err = (await waiting) as AgentCommandError;
    expect(err).toBeInstanceOf(AgentCommandError);
    expect(err.code).toBe('command_lost');
    expect(err.message).toMatch(/vanished from Redis/);
  });
});

describe('CommandBus fences', () => {
  let bus: CommandBus;
  const flush = () => new Promise((r) => setImmediate(r));
  const fence = { owner: 'engine-a', generation: 3 };
  beforeEach(() => {
    pending.clear();
    opened.added.clear();
    bus = new CommandBus(config, signer);
  });
  afterEach(() => bus.onApplicationShutdown());

  it("puts the sending task's fence on each command; none outside a task", async () => {
    const inTask = runInTaskScope('task-1', fence, () => bus.send(HOST_A, 'vm.undefine', { uuid: VM }));
    const outside = bus.send(HOST_A, 'vm.undefine', { uuid: VM });
    await flush();
    const [first, second] = [...opened.added.values()] as { fence?: unknown }[];
    expect(first!.fence).toEqual({ taskId: 'task-1', generation: 3 });
    expect(second).not.toHaveProperty('fence');
    finishAll();
    await Promise.all([inTask, outside]);
  });

  it("a host's task_fenced refusal stops the runner as a refused task write does (TaskFenced)", async () => {
    const refused = runInTaskScope('task-1', fence, () => bus.send(HOST_A, 'vm.undefine', { uuid: VM }));
    await flush();
    const [jobId] = [...opened.added.keys()];
    const body = { code: 'task_fenced' as const, message: 'generation 3 < 4', details: { highest: 4 } };
    opened.rejecters.get(jobId!)!(new Error(encodeAgentError(body)));
    const err = await refused.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskFenced);
    expect(err).toMatchObject({ taskId: 'task-1', fence, current: { owner: null, generation: 4 } });
    expect((err as Error).message).toMatch(/a host refused vm.undefine: generation 3 < 4; this engine/);
    pending.clear();
  });
});

describe('CommandBus signatures', () => {
  let bus: CommandBus;
  const flush = () => new Promise((r) => setImmediate(r));
  beforeEach(() => {
    pending.clear();
    opened.added.clear();
    bus = new CommandBus(config, signer);
  });
  afterEach(() => bus.onApplicationShutdown());

  it('signs every queued envelope (sent or posted) for its host and job id', async () => {
    const sent = bus.send(HOST_A, 'vm.undefine', { uuid: VM }, { jobId: 'job-1' });
    await bus.post(HOST_B, 'vm.undefine', { uuid: VM });
    await flush();
    const jobs = opened.added as Map<string, CommandEnvelope>;
    expect(jobs.size).toBe(2);
    const sentJob = jobs.get('job-1')!;
    const [postedId, postedJob] = [...jobs].find(([id]) => id !== 'job-1')!;
    const verifies = (hostId: string, jobId: string, env: CommandEnvelope) =>
      verify(
        null,
        Buffer.from(commandSigningInput(hostId, jobId, env, env.signature!.issuedAt)),
        signer.publicKeyPem,
        Buffer.from(env.signature!.value, 'base64'),
      );
    expect(verifies(HOST_A, 'job-1', sentJob)).toBe(true);
    expect(verifies(HOST_B, postedId, postedJob)).toBe(true);
    // Not valid for another host, nor under another job id.
    expect(verifies(HOST_B, 'job-1', sentJob)).toBe(false);
    expect(verifies(HOST_A, 'job-2', sentJob)).toBe(false);
    finishAll();
    await sent;
  });
});
