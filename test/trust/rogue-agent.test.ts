import {
  agentOutboxKey,
  agentRedisUser,
  commandQueueName,
  HEARTBEAT_QUEUE,
  OUTBOX_FIELD,
  PROTOCOL_VERSION,
  REPORT_QUEUE,
  type AgentCredentials,
  type Host,
} from '@kelpie/shared-types';
import { CommandBus, FORGED_REPORT_EVENT, HostCredentialsService } from '@kelpie/engine/testing';
import { CommandSignatures } from '@kelpie/agent/testing';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import Redis from 'ioredis';
import { fakeHeartbeat } from '../support/agent-reports';
import { startTestEngine, type TestEngine } from '../support/engine';
import { eventually } from '../support/platform';

/**
 * A client holding host A's Redis credentials (a stolen credentials.json) against real Redis and a
 * real engine: everything it tries on host B's jobs, on B's outboxes or on the engine's shared queues
 * is refused by Redis itself; a report naming another host, written where A may write, is dropped by
 * the engine and audited; once A is removed its credentials open nothing.
 */
describe('a rogue client with one host credentials', () => {
  let e: TestEngine;
  let admin: Redis;
  let a: Host, b: Host, c: Host;
  let credsA: AgentCredentials;
  let credsB: AgentCredentials;
  const clients: Redis[] = [];

  const as = (creds: AgentCredentials): Redis => {
    const r = new Redis(e.config.redisUrl, {
      username: creds.redis.username,
      password: creds.redis.password,
      maxRetriesPerRequest: null,
      retryStrategy: () => null,
    });
    r.on('error', () => undefined);
    clients.push(r);
    return r;
  };
  const prefix = () => e.config.redisPrefix;
  const heartbeat = (hostId: string) => JSON.stringify(fakeHeartbeat(hostId));
  const refused = (p: Promise<unknown>) => expect(p).rejects.toThrow(/NOPERM/);

  beforeAll(async () => {
    e = await startTestEngine();
    admin = new Redis(e.config.redisUrl, { maxRetriesPerRequest: null });
    const dc = (await e.api('POST', '/api/v1/datacenters', { name: 'dc-rogue' })).body as { id: string };
    const cluster = (await e.api('POST', '/api/v1/clusters', { name: 'main', datacenterId: dc.id })).body as {
      id: string;
    };
    const host = async (n: number) =>
      (
        await e.api('POST', '/api/v1/hosts', {
          name: `rogue-${n}`,
          clusterId: cluster.id,
          address: `10.98.0.${n}`,
          libvirtUri: `qemu+tcp://10.98.0.${n}/system`,
        })
      ).body as Host;
    [a, b, c] = [await host(1), await host(2), await host(3)];
    const service = e.app.get(HostCredentialsService);
    credsA = await service.issue(a.id);
    credsB = await service.issue(b.id);
  });
  afterAll(async () => {
    for (const r of clients) r.disconnect();
    await e?.app.get(HostCredentialsService).revoke(b.id);
    admin?.disconnect();
    await e?.close();
  });

  it("cannot read, take or remove another host's jobs", async () => {
    const queueB = new Queue(commandQueueName(b.id), { connection: admin, prefix: prefix() });
    const job = await queueB.add(
      'host.refresh',
      { name: 'host.refresh', payload: {} },
      { jobId: 'job-of-b' },
    );
    const rogue = as(credsA);
    const jobKey = `${prefix()}:${commandQueueName(b.id)}:${job.id}`;
    await refused(rogue.hgetall(jobKey));
    await refused(rogue.lrange(`${prefix()}:${commandQueueName(b.id)}:wait`, 0, -1));
    await refused(rogue.del(jobKey));
    await expect(rogue.scan('0')).rejects.toThrow(/NOPERM/);
    await expect(rogue.keys('*')).rejects.toThrow(/NOPERM/);
    // A BullMQ worker on B's queue under A's user fetches nothing: the job stays waiting for B.
    const errors: string[] = [];
    const taken: string[] = [];
    const thief = new Worker(commandQueueName(b.id), async (j) => void taken.push(j.id!), {
      connection: as(credsA),
      prefix: prefix(),
    });
    thief.on('error', (err) => errors.push(err.message));
    await eventually('the thief refused by Redis', async () => errors.some((m) => /NOPERM/.test(m)), 10_000);
    await thief.close(true);
    expect(taken).toEqual([]);
    expect(await admin.hget(jobKey, 'name')).toBe('host.refresh');
    expect(await queueB.getJobState('job-of-b')).toBe('waiting');
    await queueB.close();
  });

  it("can add a job to its own host's queue, but that host's agent never runs it; the engine's do", async () => {
    // Host A's worker as the agent runs it: on A's own credentials, admitting a job only through the
    // agent's signature check with the key A was given at enrollment, before anything would run.
    const ran: string[] = [];
    const refusals = new Map<string, string>();
    const gate = new CommandSignatures(a.id, credsA.commandKey.publicKeyPem);
    const worker = new Worker(
      commandQueueName(a.id),
      async (job) => {
        try {
          gate.admit(job.id!, job.data, job.name);
        } catch (err) {
          refusals.set(job.id!, (err as Error & { code: string }).code);
          throw new UnrecoverableError((err as Error).message);
        }
        ran.push(job.name);
        return { ok: true };
      },
      { connection: as(credsA), prefix: prefix() },
    );
    const queueA = new Queue(commandQueueName(a.id), { connection: as(credsA), prefix: prefix() });
    const bus = e.app.get(CommandBus);
    // The engine's own command for A, sent the way every command is, runs.
    await bus.post(a.id, 'host.refresh', {});
    await eventually("the engine's command run", async () => ran.length === 1, 15_000);
    const [genuine] = await queueA.getJobs(['completed']);
    // Redis lets A's credentials write A's queue (BullMQ needs it), but whatever they add is refused:
    // unsigned, the engine's signed job again under a new id, a job the engine signed for host B.
    const unsigned = await queueA.add('vm.undefine', {
      name: 'vm.undefine',
      protocolVersion: PROTOCOL_VERSION,
      payload: { uuid: 'x' },
    });
    const replayed = await queueA.add(genuine!.name, genuine!.data, { jobId: 'replayed-id' });
    await bus.post(b.id, 'host.refresh', {});
    const queueB = new Queue(commandQueueName(b.id), { connection: admin, prefix: prefix() });
    const signedForB = (await queueB.getJobs(['waiting'])).find((j) => j.data.signature)!;
    const foreign = await queueA.add(signedForB.name, signedForB.data, { jobId: signedForB.id });
    const forged = [unsigned, replayed, foreign];
    await eventually('the forged jobs refused', async () => refusals.size === forged.length, 15_000);
    expect(ran).toEqual(['host.refresh']);
    for (const job of forged) {
      expect(refusals.get(job.id!)).toBe('signature_invalid');
      expect(await queueA.getJobState(job.id!)).toBe('failed');
    }
    await signedForB.remove();
    await queueB.close();
    await worker.close();
    await queueA.close();
  });

  it("cannot write to the engine's shared queues nor to another host's outboxes", async () => {
    const rogue = as(credsA);
    for (const name of [HEARTBEAT_QUEUE, REPORT_QUEUE]) {
      const shared = new Queue(name, { connection: rogue, prefix: prefix() });
      await refused(shared.add('heartbeat', JSON.parse(heartbeat(b.id))));
    }
    await refused(
      rogue.xadd(agentOutboxKey(prefix(), b.id, 'heartbeats'), '*', OUTBOX_FIELD, heartbeat(b.id)),
    );
    await refused(rogue.xadd(agentOutboxKey(prefix(), b.id, 'reports'), '*', OUTBOX_FIELD, heartbeat(b.id)));
    // Nor read or delete its own outbox: what it wrote is the engine's to relay.
    await refused(rogue.xrange(agentOutboxKey(prefix(), a.id, 'reports'), '-', '+'));
    await refused(rogue.del(agentOutboxKey(prefix(), a.id, 'reports')));
    expect(await admin.xlen(agentOutboxKey(prefix(), b.id, 'heartbeats'))).toBe(0);
  });

  it('a report naming another host is dropped and audited; the host it names is untouched', async () => {
    const rogue = as(credsA);
    await rogue.xadd(agentOutboxKey(prefix(), a.id, 'heartbeats'), '*', OUTBOX_FIELD, heartbeat(c.id));
    const inventoryForC = JSON.stringify({
      kind: 'inventory',
      hostId: c.id,
      sentAt: new Date().toISOString(),
      domains: [],
    });
    await rogue.xadd(agentOutboxKey(prefix(), a.id, 'reports'), '*', OUTBOX_FIELD, inventoryForC);
    // B's genuine heartbeat, through B's own outbox, goes through: the relay runs and is not blind.
    await as(credsB).xadd(agentOutboxKey(prefix(), b.id, 'heartbeats'), '*', OUTBOX_FIELD, heartbeat(b.id));
    await eventually(
      'host B up from its own heartbeat',
      async () => ((await e.api('GET', `/api/v1/hosts/${b.id}`)).body as Host).status === 'up',
      15_000,
    );
    const audited = await eventually(
      'two forged-report audit events',
      async () => {
        const page = (await e.api('GET', `/api/v1/events?type=${FORGED_REPORT_EVENT}`)).body as {
          items: { message: string; refs: { id: string }[] }[];
        };
        return page.items.length >= 2 && page.items;
      },
      15_000,
    );
    for (const ev of audited) {
      expect(ev.refs[0]!.id).toBe(a.id);
      expect(ev.message).toContain(c.id);
    }
    const hostC = (await e.api('GET', `/api/v1/hosts/${c.id}`)).body as Host;
    expect(hostC.status).toBe('installing');
    expect(hostC.lastHeartbeatAt).toBeNull();
    // Relayed entries are removed from the outboxes (Redis does not grow with reports).
    expect(await admin.xlen(agentOutboxKey(prefix(), a.id, 'heartbeats'))).toBe(0);
  });

  it('with removed credentials nothing works, not even an open connection', async () => {
    const open = as(credsA);
    expect(await open.ping()).toBe('PONG');
    const res = await e.api('DELETE', `/api/v1/hosts/${a.id}`);
    expect(res.status).toBe(204);
    expect(await admin.call('ACL', 'GETUSER', agentRedisUser(prefix(), a.id))).toBeNull();
    // Redis dropped the connection authenticated as A at once …
    await expect(
      open.xadd(agentOutboxKey(prefix(), a.id, 'heartbeats'), '*', OUTBOX_FIELD, heartbeat(a.id)),
    ).rejects.toThrow();
    // … and a new one cannot log in.
    const again = new Redis(e.config.redisUrl);
    clients.push(again);
    await expect(again.call('AUTH', credsA.redis.username!, credsA.redis.password!)).rejects.toThrow(
      /WRONGPASS/,
    );
    const queueA = new Queue(commandQueueName(a.id), { connection: admin, prefix: prefix() });
    expect(await queueA.getJobCounts()).toEqual(expect.objectContaining({ waiting: 0, active: 0 }));
    await queueA.close();
  });
});
