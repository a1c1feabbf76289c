import { authHeaders } from '../support/auth';
import type { ObjectCreatedMessage, ObjectUpdatedMessage, StreamMessage } from '@kelpie/shared-types';
import { HostsService, VmsService } from '@kelpie/engine/testing';
import { startTestEngine, TestEngine } from '../support/engine';
import { openStream, SseClient } from '@kelpie/test-support';

const V1 = '/api/v1';

describe('live event stream (SSE over Redis pub/sub)', () => {
  let a: TestEngine;
  let b: TestEngine;
  const clients: SseClient[] = [];
  const stream = async (engine: TestEngine, query = '') => {
    const c = await openStream(`${engine.baseUrl}${V1}/events/stream${query}`);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    a = await startTestEngine();
    // A second engine process: same database, same Redis prefix.
    b = await startTestEngine({}, { db: a.db, redisPrefix: a.config.redisPrefix });
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await b.close();
    await a.close();
  });

  it('answers with text/event-stream and opens with a comment', async () => {
    const res = await fetch(`${a.baseUrl}${V1}/events/stream`, { headers: authHeaders() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain(': connected');
    await reader.cancel();
  });

  it('delivers a change made through the API to a subscribed client', async () => {
    const c = await stream(a);
    const created = (await a.api('POST', `${V1}/datacenters`, { name: 'live-dc' })).body;
    const msg = (await c.waitFor(
      (m) => m.type === 'object.created' && m.object.id === created.id,
    )) as ObjectCreatedMessage;
    expect(msg.object).toEqual({ type: 'datacenter', id: created.id, name: 'live-dc' });
    expect(msg.data).toMatchObject({ name: 'live-dc' });
    expect(Date.parse(msg.time)).not.toBeNaN();

    await a.api('PATCH', `${V1}/datacenters/${created.id}`, { description: 'changed', name: 'live-dc' });
    const upd = (await c.waitFor(
      (m) => m.type === 'object.updated' && m.object.id === created.id,
    )) as ObjectUpdatedMessage;
    expect(upd.changes).toEqual(['description']);

    await a.api('DELETE', `${V1}/datacenters/${created.id}`);
    await c.waitFor((m) => m.type === 'object.deleted' && m.object.id === created.id);
    // The audit log entries travel on the same stream.
    await c.waitFor((m) => m.type === 'event.recorded' && m.event.type === 'datacenter.deleted');
  });

  it('delivers a change made on another engine process (cross-process via Redis)', async () => {
    const onB = await stream(b);
    const created = (await a.api('POST', `${V1}/datacenters`, { name: 'cross-dc' })).body;
    const msg = await onB.waitFor((m) => m.type === 'object.created' && m.object.id === created.id);
    expect(msg.correlationId).toEqual(expect.any(String));
    // and the other way round
    const onA = await stream(a);
    const other = (await b.api('POST', `${V1}/datacenters`, { name: 'from-b' })).body;
    await onA.waitFor((m) => m.type === 'object.created' && m.object.id === other.id);
  });

  it('filters by object type, object id and message type', async () => {
    const dc = (await a.api('POST', `${V1}/datacenters`, { name: 'filter-dc' })).body;
    const cluster = (await a.api('POST', `${V1}/clusters`, { name: 'fc', datacenterId: dc.id })).body;
    const vmsOnly = await stream(a, '?objectType=vm&types=object.created,object.updated');
    const thisCluster = await stream(b, `?objectId=${cluster.id}`);
    await a.api('POST', `${V1}/datacenters`, { name: 'noise' });
    const vm = (await a.api('POST', `${V1}/vms`, { name: 'fv', clusterId: cluster.id })).body;
    await vmsOnly.waitFor((m) => m.type === 'object.created' && m.object.id === vm.id);
    // A VM message also concerns its cluster, so the cluster's subscriber sees it.
    await thisCluster.waitFor((m) => m.type === 'object.created' && m.object.id === vm.id);
    await new Promise((r) => setTimeout(r, 200));
    const types = (c: SseClient) => c.messages.map((m: StreamMessage) => `${m.type}:${m.refs[0].type}`);
    expect(types(vmsOnly)).toEqual(['object.created:vm']);
    expect(thisCluster.messages.every((m) => m.refs.some((r) => r.id === cluster.id))).toBe(true);
  });

  it('publishes host and VM status changes', async () => {
    const dc = (await a.api('POST', `${V1}/datacenters`, { name: 'status-dc' })).body;
    const cluster = (await a.api('POST', `${V1}/clusters`, { name: 'sc', datacenterId: dc.id })).body;
    const host = (
      await a.api('POST', `${V1}/hosts`, {
        name: 'sh',
        address: '192.0.2.77',
        libvirtUri: 'test:///default',
        clusterId: cluster.id,
      })
    ).body;
    const vm = (await a.api('POST', `${V1}/vms`, { name: 'sv', clusterId: cluster.id })).body;
    const c = await stream(b, '?types=host.status,vm.status');
    await a.app.get(HostsService).setStatus(host.id, 'up', 'agent connected');
    await a.app.get(VmsService).setStatus(vm.id, 'up', { hostId: host.id });
    const hs = await c.waitFor((m) => m.type === 'host.status');
    expect(hs).toMatchObject({ from: 'installing', to: 'up', reason: 'agent connected' });
    const vs = await c.waitFor((m) => m.type === 'vm.status');
    expect(vs).toMatchObject({ from: 'down', to: 'up', hostId: host.id });
    expect((await a.api('GET', `${V1}/vms?hostId=${host.id}`)).body.total).toBe(1);
  });
});
