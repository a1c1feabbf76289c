import { authHeaders } from '../support/auth';
import type { ObjectCreatedMessage, ObjectUpdatedMessage, StreamMessage } from '@kelpie/shared-types';
import { DataSource, HostsService, NicRepository, NicsService, VmsService } from '@kelpie/engine/testing';
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
  it('sends each object as its REST response: no column the API does not answer with', async () => {
    const c = await stream(a, '?types=object.created');
    const created = async (path: string, body: unknown) => {
      const res = await a.api('POST', `${V1}/${path}`, body);
      expect(res.status).toBe(201);
      const msg = (await c.waitFor(
        (m) => m.type === 'object.created' && m.object.id === res.body.id,
      )) as ObjectCreatedMessage;
      expect({ path, data: msg.data }).toEqual({ path, data: res.body });
      return res.body;
    };
    const dc = await created('datacenters', { name: 'mapped-dc' });
    const cluster = await created('clusters', { name: 'mapped-c', datacenterId: dc.id });
    await created('hosts', {
      name: 'mapped-h',
      address: '192.0.2.78',
      libvirtUri: 'test:///default',
      clusterId: cluster.id,
    });
    await created('networks', { name: 'mapped-n', datacenterId: dc.id, bridge: 'br-mapped' });
    await created('vms', { name: 'mapped-vm', clusterId: cluster.id });
  });

  it("leaves out an internal column the engine holds: a NIC's defined spec, set in the row", async () => {
    const post = async (path: string, body: unknown) => {
      const res = await a.api('POST', `${V1}/${path}`, body);
      expect(res.status).toBe(201);
      return res.body;
    };
    const dc = await post('datacenters', { name: 'leak-dc' });
    const cluster = await post('clusters', { name: 'leak-c', datacenterId: dc.id });
    const net = await post('networks', { name: 'leak-n', datacenterId: dc.id, bridge: 'br-leak' });
    const vm = await post('vms', { name: 'leak-vm', clusterId: cluster.id });
    const nic = await post('nics', { vmId: vm.id, networkId: net.id });
    // What the host's definition was made from: never part of the API, loaded by hotplug and edits.
    const spec = { mac: nic.mac, bridge: 'br-internal-only' };
    await a.app.get(DataSource).query(`UPDATE nic SET defined_spec = $2 WHERE id = $1`, [nic.id, spec]);
    const held = await a.app.get(NicRepository).ofVmById(vm.id, nic.id);
    expect(held?.definedSpec).toEqual(spec);

    // Announced from the entity as the engine holds it, received by a client of the other process.
    const c = await stream(b, `?objectId=${nic.id}&types=object.updated`);
    await a.app.get(NicsService).announceUpdated(held!, ['linkUp'], { actor: 'test', correlationId: 'leak' });
    const msg = (await c.waitFor(
      (m) => m.type === 'object.updated' && m.object.id === nic.id,
    )) as ObjectUpdatedMessage;
    expect(JSON.stringify(msg)).not.toContain('br-internal-only');
    expect(msg.data).not.toHaveProperty('definedSpec');
    expect(msg.data).toEqual((await a.api('GET', `${V1}/nics/${nic.id}`)).body);
  });
});
