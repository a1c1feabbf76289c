import {
  agentOutboxKey,
  OUTBOX_FIELD,
  type AgentCredentials,
  type DomainSnapshot,
  type Host,
  type Vm,
} from '@kelpie/shared-types';
import { HostCredentialsService } from '@kelpie/engine/testing';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { fakeHeartbeat } from '../support/agent-reports';
import { startTestEngine, type TestEngine } from '../support/engine';
import { eventually } from '../support/platform';

/**
 * One host's reports reach the engine through its outbox and the shared report queue; a report can
 * arrive late (a stalled job redelivered, an outbox entry claimed from a dead engine). Against a real
 * engine, Postgres and Redis, a host speaking through its own outbox sends reports out of order: the
 * engine applies what is newest by the host's clock and drops what is older, whatever the arrival.
 */
describe('reports applied by the host clock, not by arrival', () => {
  let e: TestEngine;
  let host: Host;
  let creds: AgentCredentials;
  let agent: Redis;
  const uuid = randomUUID();
  const t0 = Date.now() - 60_000;
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();

  const domain = (state: DomainSnapshot['state'], reason?: string): DomainSnapshot => ({
    uuid,
    name: 'ordered-1',
    state,
    ...(reason ? { reason } : {}),
    persistent: true,
    managed: false,
    vcpus: 1,
    memoryKiB: 131072,
    maxMemoryKiB: 131072,
  });
  const send = (report: Record<string, unknown>) =>
    agent.xadd(
      agentOutboxKey(e.config.redisPrefix, host.id, 'reports'),
      '*',
      OUTBOX_FIELD,
      JSON.stringify({ hostId: host.id, sentAt: new Date().toISOString(), ...report }),
    );
  const listing = (listedAt: string, domains: DomainSnapshot[]) =>
    send({ kind: 'inventory', listedAt, domains });
  const changed = (observedAt: string, d: DomainSnapshot | null, event = 'lifecycle') =>
    send({ kind: 'domain-changed', uuid, event, observedAt, domain: d });
  const vm = async () => (await e.api<Vm>('GET', `/api/v1/vms/${uuid}`)).body;
  /** A marker report sent after `what`: once it is applied, so is everything the host sent before. */
  let marks = 0;
  const settled = async () => {
    const marker = randomUUID();
    marks++;
    await send({
      kind: 'domain-changed',
      uuid: marker,
      event: 'defined',
      observedAt: new Date().toISOString(),
      domain: { ...domain('shutoff'), uuid: marker, name: `marker-${marks}` },
    });
    await eventually(
      `marker ${marks} applied`,
      async () => (await e.api('GET', `/api/v1/vms/${marker}`)).status === 200,
      15_000,
    );
  };

  beforeAll(async () => {
    e = await startTestEngine();
    const dc = (await e.api<{ id: string }>('POST', '/api/v1/datacenters', { name: 'dc-order' })).body;
    const cluster = (
      await e.api<{ id: string }>('POST', '/api/v1/clusters', { name: 'main', datacenterId: dc.id })
    ).body;
    host = (
      await e.api<Host>('POST', '/api/v1/hosts', {
        name: 'order-1',
        clusterId: cluster.id,
        address: '10.97.0.1',
        libvirtUri: 'qemu+tcp://10.97.0.1/system',
      })
    ).body;
    creds = await e.app.get(HostCredentialsService).issue(host.id);
    agent = new Redis(e.config.redisUrl, {
      username: creds.redis.username,
      password: creds.redis.password,
      maxRetriesPerRequest: null,
    });
    await agent.xadd(
      agentOutboxKey(e.config.redisPrefix, host.id, 'heartbeats'),
      '*',
      OUTBOX_FIELD,
      JSON.stringify(fakeHeartbeat(host.id)),
    );
    await eventually(
      'host up',
      async () => (await e.api<Host>('GET', `/api/v1/hosts/${host.id}`)).body.status === 'up',
      15_000,
    );
  }, 60_000);

  afterAll(async () => {
    agent?.disconnect();
    await e?.close();
  });

  it('a late domain event older than the applied one is dropped', async () => {
    await listing(at(0), [domain('running', 'booted')]);
    await changed(at(5), domain('paused', 'user'));
    await settled();
    expect((await vm()).status).toBe('paused');
    // Delivered late: the "incoming migration" of an earlier move, the way the chaos soak saw it.
    await changed(at(2), domain('paused', 'incoming migration'));
    await changed(at(3), null, 'undefined');
    await settled();
    expect(await vm()).toMatchObject({ status: 'paused', statusReason: 'user', hostId: host.id });
  });

  it('a listing older than the applied one is dropped; a newer one applies', async () => {
    await listing(at(4), [domain('shutoff', 'destroyed')]);
    await settled();
    expect((await vm()).status).toBe('paused');
    await listing(at(10), [domain('running', 'unpaused')]);
    await settled();
    expect((await vm()).status).toBe('up');
  });

  it('an event observed before a listing started is superseded by it; one after it is kept by it', async () => {
    await changed(at(9), domain('paused', 'user'));
    await settled();
    expect((await vm()).status).toBe('up');
    // The event at +20 s arrives before the listing that started at +15 s: the listing leaves it alone.
    await changed(at(20), domain('paused', 'user'));
    await listing(at(15), [domain('running', 'unpaused')]);
    await settled();
    expect((await vm()).status).toBe('paused');
    // Not even counted as missing: a later listing without it is the first miss, not the second.
    await listing(at(25), []);
    await settled();
    expect((await vm()).hostId).toBe(host.id);
  });

  it("a report far older than the applied ones means the host's clock was set back: applied", async () => {
    await changed(new Date(t0 - 3600_000).toISOString(), domain('running', 'unpaused'));
    await settled();
    expect((await vm()).status).toBe('up');
  });
});
