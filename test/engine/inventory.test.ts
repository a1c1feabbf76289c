/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { startTestEngine, TestEngine } from '../support/engine';

const V1 = '/api/v1';

describe('inventory REST API', () => {
  let e: TestEngine;
  let dc: any;
  let dc2: any;
  let cluster: any;
  let sd: any;
  let net: any;

  const post = async (path: string, body: unknown, status = 201) => {
    const res = await e.api('POST', `${V1}${path}`, body);
    expect({ path, status: res.status, body: res.body }).toMatchObject({ path, status });
    return res.body;
  };

  beforeAll(async () => {
    e = await startTestEngine();
    dc = await post('/datacenters', { name: 'dc-main', description: 'primary' });
    dc2 = await post('/datacenters', { name: 'dc-other' });
    cluster = await post('/clusters', { name: 'prod', datacenterId: dc.id });
    sd = await post('/storage-domains', {
      name: 'local',
      datacenterId: dc.id,
      type: 'dir',
      path: '/var/lib/kelpie/images',
    });
    net = await post('/networks', { name: 'ovirtmgmt', datacenterId: dc.id, bridge: 'br-mgmt' });
  });
  afterAll(async () => e.close());

  describe('datacenters', () => {
    it('creates, reads, updates (announcing only changed fields) and deletes', async () => {
      const created = await post('/datacenters', { name: 'dc-tmp' });
      expect(created).toMatchObject({ name: 'dc-tmp', description: '' });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await e.api('GET', `${V1}/datacenters/${created.id}`)).body).toEqual(created);
      const upd = await e.api('PATCH', `${V1}/datacenters/${created.id}`, { description: 'temp' });
      expect(upd.status).toBe(200);
      expect(upd.body.description).toBe('temp');
      const ev = await e.api('GET', `${V1}/events?objectId=${created.id}&type=datacenter.updated`);
      expect(ev.body.items[0].message).toContain('(description)');
      expect((await e.api('DELETE', `${V1}/datacenters/${created.id}`)).status).toBe(204);
      expect((await e.api('GET', `${V1}/datacenters/${created.id}`)).status).toBe(404);
      expect((await e.api('DELETE', `${V1}/datacenters/${created.id}`)).status).toBe(404);
    });

    it('refuses a duplicate name with 409 naming the field', async () => {
      const res = await e.api('POST', `${V1}/datacenters`, { name: 'dc-main' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'conflict', details: [{ field: 'name' }] });
    });

    it('refuses to delete a datacenter that still has children, naming them', async () => {
      const res = await e.api('DELETE', `${V1}/datacenters/${dc.id}`);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('has_children');
      const refs = res.body.details.map((d: any) => `${d.ref.type}:${d.ref.name}`);
      expect(refs).toEqual(
        expect.arrayContaining(['cluster:prod', 'storage_domain:local', 'network:ovirtmgmt']),
      );
    });
  });

  describe('lists', () => {
    beforeAll(async () => {
      for (let i = 0; i < 12; i++)
        await post('/clusters', { name: `page-${String(i).padStart(2, '0')}`, datacenterId: dc2.id });
    });

    it('pages with limit/offset and reports the total of all matches', async () => {
      const p1 = await e.api('GET', `${V1}/clusters?datacenterId=${dc2.id}&limit=5&offset=0`);
      expect(p1.body).toMatchObject({ total: 12, limit: 5, offset: 0 });
      expect(p1.body.items.map((c: any) => c.name)).toEqual([
        'page-00',
        'page-01',
        'page-02',
        'page-03',
        'page-04',
      ]);
      const p3 = await e.api('GET', `${V1}/clusters?datacenterId=${dc2.id}&limit=5&offset=10`);
      expect(p3.body.items.map((c: any) => c.name)).toEqual(['page-10', 'page-11']);
      expect(p3.body.total).toBe(12);
    });

    it('sorts by a whitelisted field, asc or desc, and rejects other fields', async () => {
      const desc = await e.api('GET', `${V1}/clusters?datacenterId=${dc2.id}&sort=name:desc&limit=3`);
      expect(desc.body.items.map((c: any) => c.name)).toEqual(['page-11', 'page-10', 'page-09']);
      const bad = await e.api('GET', `${V1}/clusters?sort=migrationPolicy`);
      expect(bad.status).toBe(400);
      expect(bad.body.details[0]).toMatchObject({ field: 'sort' });
    });

    it('filters by name substring (q, wildcards literal) and parent', async () => {
      const q = await e.api('GET', `${V1}/clusters?q=GE-1`);
      expect(q.body.items.map((c: any) => c.name)).toEqual(['page-10', 'page-11']);
      expect((await e.api('GET', `${V1}/clusters?q=%25`)).body.total).toBe(0);
      expect((await e.api('GET', `${V1}/clusters?q=page_0`)).body.total).toBe(0);
      const byDc = await e.api('GET', `${V1}/clusters?datacenterId=${dc.id}`);
      expect(byDc.body.items.map((c: any) => c.name)).toEqual(['prod']);
    });
  });

  describe('clusters', () => {
    it('defaults scheduling and migration policy, merges partial policy updates', async () => {
      expect(cluster).toMatchObject({
        schedulingPolicy: 'evenly_distributed',
        compatibilityLevel: '1',
        migrationPolicy: { autoConverge: true, maxDowntimeMs: 500, maxBandwidthMiBps: null },
      });
      const res = await e.api('PATCH', `${V1}/clusters/${cluster.id}`, {
        migrationPolicy: { maxBandwidthMiBps: 200 },
      });
      expect(res.body.migrationPolicy).toMatchObject({ autoConverge: true, maxBandwidthMiBps: 200 });
    });

    it('404s with the field when the datacenter does not exist', async () => {
      const res = await e.api('POST', `${V1}/clusters`, {
        name: 'x',
        datacenterId: '00000000-0000-4000-8000-000000000000',
      });
      expect(res.status).toBe(404);
      expect(res.body.details[0]).toMatchObject({ field: 'datacenterId' });
    });

    it('allows the same cluster name in another datacenter', async () => {
      await post('/clusters', { name: 'prod', datacenterId: dc2.id });
    });
  });

  describe('hosts', () => {
    let host: any;
    it('registers a host as installing; name and address are unique', async () => {
      host = await post('/hosts', {
        name: 'node1',
        address: 'Node1.Example.COM',
        libvirtUri: 'qemu+ssh://root@node1.example.com/system',
        clusterId: cluster.id,
      });
      expect(host).toMatchObject({ status: 'installing', address: 'node1.example.com', capabilities: null });
      const dupe = await e.api('POST', `${V1}/hosts`, {
        name: 'node2',
        address: 'node1.example.com',
        libvirtUri: 'qemu:///system',
        clusterId: cluster.id,
      });
      expect(dupe.status).toBe(409);
      expect(dupe.body.details[0].field).toBe('address');
    });

    it('filters by status, cluster and datacenter', async () => {
      await post('/hosts', {
        name: 'node3',
        address: '192.0.2.3',
        libvirtUri: 'test:///default',
        clusterId: cluster.id,
      });
      await e.sql(`UPDATE host SET status = 'up' WHERE name = 'node3'`);
      const up = await e.api('GET', `${V1}/hosts?status=up`);
      expect(up.body.items.map((h: any) => h.name)).toEqual(['node3']);
      expect((await e.api('GET', `${V1}/hosts?datacenterId=${dc.id}`)).body.total).toBe(2);
      expect((await e.api('GET', `${V1}/hosts?datacenterId=${dc2.id}`)).body.total).toBe(0);
      expect(
        (await e.api('GET', `${V1}/hosts?clusterId=${cluster.id}&sort=address:asc`)).body.items[0].name,
      ).toBe('node3');
    });

    it('refuses to delete a host that is up (invalid_state), deletes an installing one', async () => {
      const up = (await e.api('GET', `${V1}/hosts?status=up`)).body.items[0];
      const res = await e.api('DELETE', `${V1}/hosts/${up.id}`);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('invalid_state');
      expect((await e.api('DELETE', `${V1}/hosts/${host.id}`)).status).toBe(204);
    });
  });

  describe('storage domains and networks', () => {
    it('requires the connection fields of the type', async () => {
      const res = await e.api('POST', `${V1}/storage-domains`, {
        name: 'nfs1',
        datacenterId: dc.id,
        type: 'nfs',
        path: '/mnt/nfs1',
        connection: { server: 'filer' },
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'connection.export', reason: 'required for a nfs storage domain' },
      ]);
      const ok = await post('/storage-domains', {
        name: 'nfs1',
        datacenterId: dc.id,
        type: 'nfs',
        path: '/mnt/nfs1',
        connection: { server: 'filer', export: '/exports/vm' },
      });
      expect(ok).toMatchObject({
        status: 'detached',
        connection: { server: 'filer', export: '/exports/vm' },
      });
      expect(
        (await e.api('GET', `${V1}/storage-domains?type=nfs`)).body.items.map((s: any) => s.name),
      ).toEqual(['nfs1']);
    });

    it('attaches networks to clusters of the same datacenter only and lists by cluster', async () => {
      const vlan = await post('/networks', {
        name: 'vlan10',
        datacenterId: dc.id,
        bridge: 'br-v10',
        vlanId: 10,
        mtu: 9000,
      });
      expect(vlan).toMatchObject({ vlanId: 10, mtu: 9000, vmNetwork: true });
      const att = await post(`/clusters/${cluster.id}/networks`, {
        networkId: vlan.id,
        attachment: 'optional',
      });
      expect(att).toMatchObject({ clusterId: cluster.id, networkId: vlan.id, attachment: 'optional' });
      expect(
        (await e.api('POST', `${V1}/clusters/${cluster.id}/networks`, { networkId: vlan.id })).status,
      ).toBe(409);
      const other = await post('/networks', { name: 'elsewhere', datacenterId: dc2.id, bridge: 'br-else' });
      const cross = await e.api('POST', `${V1}/clusters/${cluster.id}/networks`, { networkId: other.id });
      expect(cross.status).toBe(400);
      expect(
        (await e.api('GET', `${V1}/networks?clusterId=${cluster.id}`)).body.items.map((n: any) => n.name),
      ).toEqual(['vlan10']);
      expect((await e.api('GET', `${V1}/clusters/${cluster.id}/networks`)).body).toHaveLength(1);
      expect((await e.api('DELETE', `${V1}/clusters/${cluster.id}/networks/${vlan.id}`)).status).toBe(204);
      const vlanNull = await e.api('PATCH', `${V1}/networks/${vlan.id}`, { vlanId: null });
      expect(vlanNull.body.vlanId).toBeNull();
    });
  });

  describe('VMs, disks and NICs', () => {
    let vm: any;
    it('creates a VM definition (down, no host) whose id is its libvirt UUID', async () => {
      vm = await post(
        '/vms',
        { name: 'web1', clusterId: cluster.id, vcpus: 2, memoryMib: 2048, osType: 'linux' },
        201,
      );
      expect(vm).toMatchObject({
        datacenterId: dc.id,
        hostId: null,
        status: 'down',
        desiredStatus: 'down',
        vcpus: 2,
        memoryMib: 2048,
        maxMemoryMib: 2048,
        bootOrder: ['hd'],
        external: false,
        createdBy: 'admin',
      });
    });

    it('keeps VM names unique per datacenter (also across clusters)', async () => {
      const c2 = await post('/clusters', { name: 'prod-b', datacenterId: dc.id });
      const res = await e.api('POST', `${V1}/vms`, { name: 'web1', clusterId: c2.id });
      expect(res.status).toBe(409);
      expect(res.body.details[0].field).toBe('name');
      const c3 = (await e.api('GET', `${V1}/clusters?datacenterId=${dc2.id}&q=prod`)).body.items[0];
      await post('/vms', { name: 'web1', clusterId: c3.id });
    });

    it('checks memory against max memory', async () => {
      const res = await e.api('PATCH', `${V1}/vms/${vm.id}`, { memoryMib: 4096, maxMemoryMib: 1024 });
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe('maxMemoryMib');
      const grow = await e.api('PATCH', `${V1}/vms/${vm.id}`, { memoryMib: 4096 });
      expect(grow.body).toMatchObject({ memoryMib: 4096, maxMemoryMib: 4096, pendingRestart: null });
    });

    it('records hardware changes of a running VM as pending restart', async () => {
      await e.sql(`UPDATE vm SET status = 'up' WHERE id = $1`, [vm.id]);
      const res = await e.api('PATCH', `${V1}/vms/${vm.id}`, { vcpus: 4 });
      expect(res.body.pendingRestart.fields).toEqual(['vcpus']);
      expect((await e.api('DELETE', `${V1}/vms/${vm.id}`)).body.code).toBe('invalid_state');
      await e.sql(`UPDATE vm SET status = 'down', pending_restart = NULL WHERE id = $1`, [vm.id]);
    });

    it('attaches disks with automatic target devices; deleting the VM is blocked by them', async () => {
      // New disks go only to active domains; no host here activates it: the state activation leaves.
      await e.sql(`UPDATE storage_domain SET status = 'active' WHERE id = $1`, [sd.id]);
      const d1 = await post('/disks', {
        name: 'web1-os',
        storageDomainId: sd.id,
        virtualSizeBytes: 10 * 1024 ** 3,
        vmId: vm.id,
        bootable: true,
      });
      const d2 = await post('/disks', {
        name: 'web1-data',
        storageDomainId: sd.id,
        virtualSizeBytes: 2 ** 30,
        vmId: vm.id,
      });
      expect([d1.targetDev, d2.targetDev]).toEqual(['vda', 'vdb']);
      expect(d1.volumePath).toBe(`/var/lib/kelpie/images/${d1.id}.qcow2`);
      expect(d1.virtualSizeBytes).toBe(10 * 1024 ** 3);
      const dupe = await e.api('POST', `${V1}/disks`, {
        name: 'x',
        storageDomainId: sd.id,
        virtualSizeBytes: 2 ** 30,
        vmId: vm.id,
        targetDev: 'vda',
      });
      expect(dupe.status).toBe(409);
      const shrink = await e.api('PATCH', `${V1}/disks/${d2.id}`, { virtualSizeBytes: 2 ** 20 });
      expect(shrink.status).toBe(400);
      expect(
        (await e.api('GET', `${V1}/disks?vmId=${vm.id}&sort=virtualSizeBytes:desc`)).body.items.map(
          (d: any) => d.name,
        ),
      ).toEqual(['web1-os', 'web1-data']);
      const blocked = await e.api('DELETE', `${V1}/vms/${vm.id}`);
      expect(blocked.status).toBe(409);
      expect(blocked.body.code).toBe('has_children');
      expect(blocked.body.details.map((d: any) => d.ref.name).sort()).toEqual(['web1-data', 'web1-os']);
      const detached = await e.api('PATCH', `${V1}/disks/${d2.id}`, { vmId: null });
      expect(detached.body).toMatchObject({ vmId: null, targetDev: null });
      expect((await e.api('DELETE', `${V1}/disks/${d1.id}`)).status).toBe(204);
      // Detached again (an active domain is not deleted at all): still refused while disks live there.
      await e.sql(`UPDATE storage_domain SET status = 'detached' WHERE id = $1`, [sd.id]);
      expect((await e.api('DELETE', `${V1}/storage-domains/${sd.id}`)).body.code).toBe('has_children');
    });

    it('gives NICs a name and a unique MAC; NICs go away with their VM', async () => {
      const n1 = await post('/nics', { vmId: vm.id, networkId: net.id });
      const n2 = await post('/nics', {
        vmId: vm.id,
        networkId: net.id,
        mac: '52:54:00:AA:BB:CC',
        model: 'e1000',
      });
      expect(n1.name).toBe('nic1');
      expect(n1.mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
      expect(n2).toMatchObject({ name: 'nic2', mac: '52:54:00:aa:bb:cc', model: 'e1000' });
      const dupe = await e.api('POST', `${V1}/nics`, {
        vmId: vm.id,
        networkId: net.id,
        mac: '52:54:00:aa:bb:cc',
      });
      expect(dupe.status).toBe(409);
      expect(dupe.body.details[0].field).toBe('mac');
      expect((await e.api('GET', `${V1}/nics?networkId=${net.id}`)).body.total).toBe(2);
      expect((await e.api('DELETE', `${V1}/networks/${net.id}`)).body.code).toBe('has_children');
      expect((await e.api('DELETE', `${V1}/vms/${vm.id}`)).status).toBe(204);
      expect((await e.sql(`SELECT count(*)::int AS n FROM nic WHERE vm_id = $1`, [vm.id]))[0].n).toBe(0);
    });

    it('lists VMs by cluster, datacenter, status and template flag', async () => {
      const t = await post('/vms', { name: 'tpl-linux', clusterId: cluster.id, isTemplate: true });
      const child = await post('/vms', { name: 'from-tpl', clusterId: cluster.id, sourceTemplateId: t.id });
      expect(child.sourceTemplateId).toBe(t.id);
      expect((await e.api('GET', `${V1}/vms?isTemplate=true`)).body.items.map((v: any) => v.name)).toEqual([
        'tpl-linux',
      ]);
      expect(
        (await e.api('GET', `${V1}/vms?datacenterId=${dc.id}&isTemplate=false`)).body.items.map(
          (v: any) => v.name,
        ),
      ).toEqual(['from-tpl']);
      expect((await e.api('GET', `${V1}/vms?status=up`)).body.total).toBe(0);
      expect((await e.api('DELETE', `${V1}/vms/${t.id}`)).body.code).toBe('has_children');
      const notTpl = await e.api('POST', `${V1}/vms`, {
        name: 'bad',
        clusterId: cluster.id,
        sourceTemplateId: child.id,
      });
      expect(notTpl.status).toBe(400);
    });
  });

  describe('snapshots (read side)', () => {
    it('lists snapshots of a VM', async () => {
      const vm = await post('/vms', { name: 'snappy', clusterId: cluster.id });
      await e.sql(
        `INSERT INTO snapshot (id, vm_id, name, type) VALUES (gen_random_uuid(), $1, 'before-upgrade', 'external')`,
        [vm.id],
      );
      const res = await e.api('GET', `${V1}/snapshots?vmId=${vm.id}`);
      expect(res.body.items.map((s: any) => s.name)).toEqual(['before-upgrade']);
      expect((await e.api('GET', `${V1}/snapshots/${res.body.items[0].id}`)).status).toBe(200);
    });
  });
});
