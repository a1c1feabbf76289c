import { testGuest, virshOrThrow, type TestGuest } from '@kelpie/lab';
import type {
  HostNetworkView,
  MacPool,
  Nic,
  SchedulingDecision,
  Task,
  VnicProfile,
} from '@kelpie/shared-types';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';
import { created } from './ping-guest';

/** vNIC profiles, MAC pools, live NIC changes and per-host networks end to end (lab `kvp1`, 2 hosts,
 * one guest, Open vSwitch). Network `blue` (VLAN 10) is on h1 only, `green` (VLAN 20) on both. A guest on h1 gets a
 * NIC with a QoS profile and a hot-plugged one with another: `virsh domiftune` shows each profile's
 * values; a profile's change applies live to running NICs (domiftune) and a start re-sends only stale
 * NICs; a NIC changes profile and network while the
 * guest runs (`update-device`, read back with `domiftune`/`dumpxml`) and loses its link
 * (`domif-getlink`); a migration to h2 (no `blue`) is refused before any host is asked, and the
 * scheduler explains why h2 is no candidate; MAC pools allocate inside their ranges, refuse when
 * exhausted and name the VM that has a duplicate MAC; a NIC on a port-mirroring profile gets an OVS
 * mirror of its network's VLAN, gone when the VM stops. */
let guest: TestGuest;
let p: TestPlatform;
const api: TestPlatform['engine']['api'] = (...args) => p.engine.api(...args);
/** A lab host's engine id, and what its agent last reported about its networking. */
const engineHost = (h: string) => ({
  id: p.hosts[h]!.id,
  networking: async () => (await api('GET', `/api/v1/hosts/${p.hosts[h]!.id}/nics`)).body as HostNetworkView,
});
const hostId = (h: string) => engineHost(h).id;
const h1Uri = () => p.labStatus.hosts.find((x) => x.name === 'h1')!.uri;

async function succeeded(res: { status: number; body: unknown }, what: string, ms = 120_000): Promise<Task> {
  if (res.status !== 202) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body)}`);
  const id = (res.body as Task).id;
  const t = await eventually(
    `${what}: task final`,
    async () => {
      const x = (await api('GET', `/api/v1/tasks/${id}?wait=5000`)).body as Task;
      return ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(x.status) && x;
    },
    ms,
  );
  expect({ what, status: t.status, error: t.errorMessage }).toEqual({
    what,
    status: 'succeeded',
    error: null,
  });
  return t;
}

/** `virsh domiftune` of the NIC with this MAC: `inbound.average` → number, … */
async function iftune(vmId: string, mac: string): Promise<Record<string, number>> {
  const out = await virshOrThrow(h1Uri(), ['domiftune', vmId, mac]);
  return Object.fromEntries(
    out
      .split('\n')
      .map((l) => /^\s*(\S+)\s*:\s*(\d+)\s*$/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1]!, Number(m[2])]),
  );
}

async function vsctl(...args: string[]): Promise<string> {
  const r = await p.lab.execInHost('h1', ['ovs-vsctl', ...args]);
  if (r.code !== 0) throw new Error(`ovs-vsctl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The `<interface>` element of the NIC with this MAC in the domain XML (live, or `--inactive`). */
async function interfaceXml(vmId: string, mac: string, inactive = false): Promise<string> {
  const xml = await virshOrThrow(h1Uri(), ['dumpxml', vmId, ...(inactive ? ['--inactive'] : [])]);
  const found = xml.match(/<interface[\s\S]*?<\/interface>/g)?.find((i) => i.includes(`'${mac}'`));
  if (!found) throw new Error(`no interface ${mac} in ${vmId}:\n${xml}`);
  return found;
}

const nicsOf = async (vmId: string) =>
  ((await api('GET', `/api/v1/nics?vmId=${vmId}&sort=name`)).body as { items: Nic[] }).items;

let blue: string;
let lab: string;
let gold: VnicProfile;
let silver: VnicProfile;
let vmA: string;

beforeAll(async () => {
  guest = await testGuest();
  // Open vSwitch: libvirt puts an OVS port's QoS into OVS (this kernel lacks the sfq qdisc and the
  // police action that libvirt's tc path for Linux bridges needs, so a shaped tap on a Linux bridge
  // fails to start here).
  p = await startTestPlatform({
    labName: 'kvp1',
    subnet: 173,
    hosts: 2,
    openvswitch: true,
    agentEnv: { KELPIE_OVS_DATAPATH: 'netdev' },
  });
  for (const h of ['h1', 'h2'])
    await eventually(`${h} NICs reported`, async () => (await engineHost(h).networking()).reportedAt, 60_000);
  // The switch type changes only with the cluster's hosts in maintenance.
  for (const h of ['h1', 'h2'])
    await succeeded(await api('POST', `/api/v1/hosts/${hostId(h)}/maintenance`), `${h} to maintenance`);
  expect((await api('PATCH', `/api/v1/clusters/${p.clusterId}`, { switchType: 'ovs' })).status).toBe(200);
  for (const h of ['h1', 'h2']) {
    expect((await api('POST', `/api/v1/hosts/${hostId(h)}/activate`)).status).toBe(200);
    await eventually(
      `${h} up again`,
      async () =>
        ((await api('GET', `/api/v1/hosts/${hostId(h)}`)).body as { status: string }).status === 'up',
      30_000,
      250,
    );
  }
  const network = async (name: string, bridge: string, vlanId: number) => {
    const n = await created(
      await api('POST', '/api/v1/networks', { datacenterId: p.datacenterId, name, bridge, vlanId }),
      `network ${name}`,
    );
    // Optional: a host without it stays Up, it only cannot run VMs on it.
    await created(
      await api('POST', `/api/v1/clusters/${p.clusterId}/networks`, {
        networkId: n.id,
        attachment: 'optional',
      }),
      `attach ${name}`,
    );
    return n.id;
  };
  blue = await network('blue', 'vmblue', 10);
  lab = await network('green', 'vmgreen', 20);
  for (const [h, networks] of [
    ['h1', [blue, lab]],
    ['h2', [lab]],
  ] as const)
    await succeeded(
      await api('POST', `/api/v1/hosts/${hostId(h)}/network-setup`, {
        attachments: networks.map((networkId) => ({ networkId, nic: 'eth1' })),
        connectivityTimeoutSeconds: 30,
      }),
      `network setup on ${h}`,
    );
  await eventually(
    'vmblue reported on h1, vmgreen on h2',
    async () =>
      (await engineHost('h1').networking()).bridges.some((b) => b.name === 'vmblue') &&
      (await engineHost('h2').networking()).bridges.some((b) => b.name === 'vmgreen'),
    15_000,
  );
}, 240_000);

afterAll(async () => {
  await p?.close();
});

it('gives every network a default profile and validates QoS with the field and reason', async () => {
  const list = (await api('GET', `/api/v1/networks/${blue}/vnic-profiles`)).body as VnicProfile[];
  expect(list).toEqual([
    expect.objectContaining({
      name: 'blue',
      networkId: blue,
      isDefault: true,
      inbound: null,
      outbound: null,
    }),
  ]);
  const base = `/api/v1/networks/${blue}/vnic-profiles`;
  const bad = [
    [{ name: 'x', inbound: { averageKiBps: 1000, peakKiBps: 10 } }, 'inbound.peakKiBps'],
    [{ name: 'x', outbound: { averageKiBps: 0 } }, 'outbound.averageKiBps'],
    [{ name: 'x', inbound: { averageKiBps: 10, burstKiB: 99_999_999 } }, 'inbound.burstKiB'],
    [{ name: 'x', inbound: 'fast' }, 'inbound'],
  ] as const;
  for (const [body, field] of bad) {
    const res = await api('POST', base, body);
    expect({ field, status: res.status }).toEqual({ field, status: 400 });
    expect(JSON.stringify(res.body)).toContain(field);
  }
  expect(((await api('GET', base)).body as VnicProfile[]).length).toBe(1);

  gold = await created<VnicProfile>(
    await api('POST', base, {
      name: 'gold',
      inbound: { averageKiBps: 1000, peakKiBps: 2000, burstKiB: 512 },
      outbound: { averageKiBps: 500 },
    }),
    'profile gold',
  );
  expect(gold).toMatchObject({
    isDefault: false,
    inbound: { averageKiBps: 1000, peakKiBps: 2000, burstKiB: 512 },
    outbound: { averageKiBps: 500, peakKiBps: null, burstKiB: null },
  });
  silver = await created<VnicProfile>(
    await api('POST', base, { name: 'silver', inbound: { averageKiBps: 300 } }),
    'profile silver',
  );
  const dup = await api('POST', base, { name: 'gold' });
  expect([dup.status, dup.body.code]).toEqual([409, 'conflict']);
});

it('shapes a NIC created with a profile and a hot-plugged one, as virsh domiftune shows', async () => {
  const t = await succeeded(
    await api('POST', '/api/v1/vms', {
      name: 'kvp-a',
      clusterId: p.clusterId,
      hostId: hostId('h1'),
      vcpus: 1,
      memoryMib: 96,
      maxMemoryMib: 96,
      nics: [{ profileId: gold.id }],
      boot: {
        kind: 'kernel',
        kernel: guest.kernel,
        initrd: guest.initrd,
        cmdline: 'console=ttyS0 panic=-1 quiet kelpie.serial_heartbeat=0',
      },
      graphicsVnc: false,
    }),
    'create kvp-a',
  );
  vmA = t.target!.id;
  // The create records what each NIC's definition is made from, so the first start sends no NIC: a
  // value set behind the engine's back in the new definition is still there once it runs.
  const [created] = await nicsOf(vmA);
  await virshOrThrow(h1Uri(), ['domiftune', vmA, created!.mac, '--outbound', '444', '--config']);
  await succeeded(await api('POST', `/api/v1/vms/${vmA}/start`), 'start kvp-a');
  expect(await iftune(vmA, created!.mac)).toMatchObject({ 'outbound.average': 444 });
  await virshOrThrow(h1Uri(), ['domiftune', vmA, created!.mac, '--outbound', '500', '--live', '--config']);
  const [nic1] = await nicsOf(vmA);
  expect(nic1).toMatchObject({ networkId: blue, profileId: gold.id, linkUp: true });
  const tune = await iftune(vmA, nic1!.mac);
  console.log(`virsh domiftune kvp-a ${nic1!.mac} (profile gold):`, tune);
  expect(tune).toMatchObject({
    'inbound.average': 1000,
    'inbound.peak': 2000,
    'inbound.burst': 512,
    'outbound.average': 500,
  });
  // libvirt put it into OVS: the guest's outbound as the port's ingress policing, inbound as HTB QoS.
  const tap = /<target dev='([^']+)'/.exec(await interfaceXml(vmA, nic1!.mac))![1]!;
  const policing = await vsctl('get', 'interface', tap, 'ingress_policing_rate');
  const qos = await vsctl('--columns=type,other_config', 'list', 'qos');
  console.log(`OVS on h1 for ${tap}: ingress_policing_rate=${policing}\n${qos}`);
  expect(Number(policing)).toBe(500 * 8);
  expect(qos).toMatch(/linux-htb/);

  const plugged = await succeeded(
    await api('POST', `/api/v1/vms/${vmA}/nics`, { profileId: silver.id }),
    'hot-plug a NIC on silver',
  );
  const mac2 = (plugged.result as { mac: string }).mac;
  expect(await iftune(vmA, mac2)).toMatchObject({ 'inbound.average': 300, 'outbound.average': 0 });

  // A profile whose NICs exist cannot go; the default profile never goes alone.
  const del = await api('DELETE', `/api/v1/networks/${blue}/vnic-profiles/${gold.id}`);
  expect([del.status, del.body.code]).toEqual([409, 'invalid_state']);
  expect(del.body.message).toBe('profile gold is used by the NICs of kvp-a (nic1)');
  const def = ((await api('GET', `/api/v1/networks/${blue}/vnic-profiles`)).body as VnicProfile[])[0]!;
  expect((await api('DELETE', `/api/v1/networks/${blue}/vnic-profiles/${def.id}`)).status).toBe(409);
}, 240_000);

it('moves a running NIC to another profile and network (update-device) and downs its link (domif-setlink)', async () => {
  const [nic1, nic2] = await nicsOf(vmA);
  await succeeded(
    await api('PATCH', `/api/v1/vms/${vmA}/nics/${nic1!.id}`, { profileId: silver.id }),
    'nic1 → silver',
  );
  expect(await iftune(vmA, nic1!.mac)).toMatchObject({ 'inbound.average': 300, 'outbound.average': 0 });
  expect(await interfaceXml(vmA, nic1!.mac, true)).toMatch(/<inbound average='300'\/>/);

  // Another network: the port moves to green's VLAN while the guest runs; green's default profile has no QoS.
  const moved = await succeeded(
    await api('PATCH', `/api/v1/vms/${vmA}/nics/${nic2!.id}`, { networkId: lab }),
    'nic2 → lab',
  );
  // libvirt 9.0 cannot retag an OVS port in place: the agent replugged the NIC (same MAC).
  console.log('nic2 → green:', JSON.stringify(moved.result));
  expect(moved.result).toMatchObject({ networkId: lab, live: true });
  const live = await interfaceXml(vmA, nic2!.mac);
  expect(live).toContain("<source bridge='vmgreen'/>");
  expect(live).toMatch(/<tag id='20'\/>/);
  expect(live).not.toContain('<bandwidth');
  const tap = /<target dev='([^']+)'/.exec(live)![1]!;
  expect(await vsctl('get', 'port', tap, 'tag')).toBe('20');

  await succeeded(
    await api('PATCH', `/api/v1/vms/${vmA}/nics/${nic2!.id}`, { linkUp: false }),
    'nic2 link down',
  );
  expect(await virshOrThrow(h1Uri(), ['domif-getlink', vmA, nic2!.mac])).toMatch(/\bdown\s*$/);
  expect(await interfaceXml(vmA, nic2!.mac, true)).toContain("<link state='down'/>");
  expect((await nicsOf(vmA)).map((n) => [n.name, n.profileId === silver.id, n.networkId, n.linkUp])).toEqual([
    ['nic1', true, blue, true],
    ['nic2', false, lab, false],
  ]);

  const none = await api('PATCH', `/api/v1/vms/${vmA}/nics/${nic2!.id}`, {});
  expect(none.status).toBe(400);
  const foreign = await api('PATCH', `/api/v1/vms/${vmA}/nics/${nic2!.id}`, {
    networkId: lab,
    profileId: gold.id,
  });
  expect([foreign.status, JSON.stringify(foreign.body)]).toEqual([400, expect.stringContaining('profileId')]);
}, 240_000);

it('applies a profile QoS change live to running NICs (domiftune), and re-sends a NIC at start only when stale', async () => {
  const [nic1, nic2] = await nicsOf(vmA);
  const res = await api('PATCH', `/api/v1/networks/${blue}/vnic-profiles/${silver.id}`, {
    inbound: { averageKiBps: 700, burstKiB: 64 },
  });
  expect(res.status).toBe(200);
  // The guest runs: its NIC on silver is shaped at once, in the running guest and its definition.
  await eventually(
    'silver QoS live on nic1',
    async () => (await iftune(vmA, nic1!.mac))['inbound.average'] === 700,
    30_000,
    250,
  );
  expect(await iftune(vmA, nic1!.mac)).toMatchObject({ 'inbound.average': 700, 'inbound.burst': 64 });
  expect(await interfaceXml(vmA, nic1!.mac, true)).toMatch(/<inbound average='700' burst='64'\/>/);
  const rollout = await eventually(
    'the QoS task final',
    async () => {
      const rows = await p.engine.sql<{ status: string; target_name: string }>(
        `SELECT status, target->>'name' AS target_name FROM task WHERE type = 'network.apply-qos'`,
      );
      return rows.every((r) => r.status !== 'running' && r.status !== 'queued') && rows.length > 0 && rows;
    },
    30_000,
    250,
  );
  expect(rollout).toEqual([{ status: 'succeeded', target_name: 'blue' }]);

  // A start sends no NIC whose definition is current: a value set behind the engine's back in the
  // stopped VM's definition survives the start (before, every start re-sent every NIC).
  await succeeded(await api('POST', `/api/v1/vms/${vmA}/poweroff`), 'poweroff kvp-a');
  await virshOrThrow(h1Uri(), ['domiftune', vmA, nic1!.mac, '--inbound', '123', '--config']);
  await succeeded(await api('POST', `/api/v1/vms/${vmA}/start`), 'start kvp-a (nothing stale)');
  expect(await iftune(vmA, nic1!.mac)).toMatchObject({ 'inbound.average': 123 });

  // A change while the VM is stopped makes its NIC stale: the next start sends it.
  await succeeded(await api('POST', `/api/v1/vms/${vmA}/poweroff`), 'poweroff kvp-a again');
  const stopped = await api('PATCH', `/api/v1/networks/${blue}/vnic-profiles/${silver.id}`, {
    inbound: { averageKiBps: 800, peakKiBps: 900, burstKiB: 64 },
  });
  expect(stopped.status).toBe(200);
  await succeeded(await api('POST', `/api/v1/vms/${vmA}/start`), 'start kvp-a (nic1 stale)');
  expect(await iftune(vmA, nic1!.mac)).toMatchObject({
    'inbound.average': 800,
    'inbound.peak': 900,
    'inbound.burst': 64,
  });
  expect(await virshOrThrow(h1Uri(), ['domif-getlink', vmA, nic2!.mac])).toMatch(/\bdown\s*$/);
}, 240_000);

it('refuses a migration to a host without the network before asking any host; the scheduler explains', async () => {
  const tasksBefore = (
    await p.engine.sql<{ n: string }>(`SELECT count(*) n FROM task WHERE type = 'vm.migrate'`)
  )[0]!.n;
  const res = await api('POST', `/api/v1/vms/${vmA}/migrate`, { targetHostId: hostId('h2') });
  expect([res.status, res.body.code]).toEqual([422, 'unprocessable']);
  expect(res.body.message).toBe(
    `host ${p.hosts.h2!.name} cannot receive VM kvp-a: host lacks bridge vmblue (network blue)`,
  );
  expect(res.body.details).toEqual([
    expect.objectContaining({ field: 'targetHostId', ref: { type: 'network', id: blue, name: 'blue' } }),
  ]);
  expect(
    (await p.engine.sql<{ n: string }>(`SELECT count(*) n FROM task WHERE type = 'vm.migrate'`))[0]!.n,
  ).toBe(tasksBefore);

  // A VM defined nowhere with a NIC on blue: h1 only.
  const b = await created(
    await api('POST', '/api/v1/vms', { name: 'kvp-b', clusterId: p.clusterId, memoryMib: 64, vcpus: 1 }),
    'VM record kvp-b',
  );
  await created(await api('POST', '/api/v1/nics', { vmId: b.id, networkId: blue }), 'kvp-b nic on blue');
  const d = (await api('GET', `/api/v1/vms/${b.id}/placement`)).body as SchedulingDecision;
  console.log('placement of kvp-b:', JSON.stringify(d.hosts.map((h) => [h.hostName, h.filteredBy])));
  expect(d.hostName).toBe(p.hosts.h1!.name);
  expect(d.hosts.find((h) => h.hostName === p.hosts.h2!.name)!.filteredBy).toEqual({
    filter: 'networks',
    reason: 'host lacks bridge vmblue (network blue)',
  });
}, 120_000);

it('allocates MACs from the datacenter pool, refuses an exhausted pool and names the VM of a duplicate MAC', async () => {
  const path = `/api/v1/datacenters/${p.datacenterId}/mac-pool`;
  const initial = (await api('GET', path)).body as MacPool;
  expect(initial).toMatchObject({
    name: 'default',
    ranges: [{ from: '52:54:00:00:00:00', to: '52:54:00:ff:ff:ff' }],
    size: 16_777_216,
  });
  // Every NIC so far got its address from this pool.
  expect(initial.used).toBe(((await api('GET', '/api/v1/nics')).body as { total: number }).total);
  for (const [ranges, field] of [
    [[{ from: '52:54:01:00:00:09', to: '52:54:01:00:00:01' }], 'ranges.0.to'],
    [[{ from: '01:00:5e:00:00:00', to: '01:00:5e:00:00:09' }], 'ranges.0.from'],
    [
      [
        { from: '52:54:01:00:00:00', to: '52:54:01:00:00:09' },
        { from: '52:54:01:00:00:05', to: '52:54:01:00:00:0f' },
      ],
      'ranges.1',
    ],
    [[{ from: 'nope', to: '52:54:01:00:00:01' }], 'ranges.0.from'],
  ] as const) {
    const res = await api('PUT', path, { ranges });
    expect({ field, status: res.status }).toEqual({ field, status: 400 });
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  }
  const put = await api('PUT', path, {
    name: 'tiny',
    ranges: [{ from: '52:54:01:00:00:00', to: '52:54:01:00:00:01' }],
  });
  expect(put.status).toBe(200);
  expect(put.body).toMatchObject({ name: 'tiny', size: 2, used: 0 });

  const c = await created(
    await api('POST', '/api/v1/vms', { name: 'kvp-c', clusterId: p.clusterId, memoryMib: 64, vcpus: 1 }),
    'VM record kvp-c',
  );
  const macs: string[] = [];
  for (let i = 0; i < 2; i++)
    macs.push(
      (
        await created<Nic>(
          await api('POST', '/api/v1/nics', { vmId: c.id, networkId: lab }),
          `kvp-c nic ${i}`,
        )
      ).mac,
    );
  expect(macs.sort()).toEqual(['52:54:01:00:00:00', '52:54:01:00:00:01']);
  const full = await api('POST', '/api/v1/nics', { vmId: c.id, networkId: lab });
  expect([full.status, full.body.code]).toEqual([409, 'conflict']);
  expect(full.body.message).toMatch(
    /^MAC pool tiny of datacenter .* is exhausted: all 2 addresses are in use$/,
  );

  const [aNic] = await nicsOf(vmA);
  const dup = await api('POST', '/api/v1/nics', { vmId: c.id, networkId: lab, mac: aNic!.mac });
  expect([dup.status, dup.body.code]).toEqual([409, 'conflict']);
  expect(dup.body.message).toBe(`MAC ${aNic!.mac} is already used by NIC nic1 of VM kvp-a`);
  expect(dup.body.details).toEqual([expect.objectContaining({ ref: expect.objectContaining({ id: vmA }) })]);
  // An explicit MAC may lie outside the pool.
  await created(
    await api('POST', '/api/v1/nics', { vmId: c.id, networkId: lab, mac: '52:54:00:77:77:77' }),
    'kvp-c nic with its own MAC',
  );
  expect(((await api('GET', path)).body as MacPool).used).toBe(2);
});

it('mirrors the network to a NIC whose profile has port mirroring (an OVS mirror), and drops it when the VM stops', async () => {
  const bad = await api('POST', `/api/v1/networks/${blue}/vnic-profiles`, {
    name: 'x',
    portMirroring: 'yes',
  });
  expect([bad.status, JSON.stringify(bad.body)]).toEqual([400, expect.stringContaining('portMirroring')]);
  const spy = await created<VnicProfile>(
    await api('POST', `/api/v1/networks/${blue}/vnic-profiles`, { name: 'spy', portMirroring: true }),
    'profile spy',
  );
  expect(spy).toMatchObject({ portMirroring: true, inbound: null });
  const plugged = await succeeded(
    // Its own MAC: the MAC pool test before this one left the datacenter's pool exhausted.
    await api('POST', `/api/v1/vms/${vmA}/nics`, { profileId: spy.id, mac: '52:54:00:77:77:78' }),
    'hot-plug a NIC on spy',
  );
  const { mac } = plugged.result as { mac: string };
  const xml = await interfaceXml(vmA, mac);
  expect(xml).toContain("profileid='kelpie-port-mirroring'");
  const tap = /<target dev='([^']+)'/.exec(xml)![1]!;
  const mirrors = () => vsctl('--columns=name,select_all,select_vlan,output_port', 'list', 'mirror');
  const portUuid = await vsctl('get', 'port', tap, '_uuid');
  const listed = await eventually(
    `a mirror with output ${tap}`,
    async () => {
      const m = await mirrors();
      return m.includes(portUuid) && m;
    },
    20_000,
    250,
  );
  console.log(`ovs-vsctl list mirror on h1 after plugging ${tap} (profile spy):\n${listed}`);
  expect(listed).toMatch(new RegExp(`name\\s*: "?kelpie-mirror-${tap}"?`));
  expect(listed).toMatch(/select_all\s*: true/);
  // blue is VLAN 10 on eth1's OVS bridge (fake bridges hold no mirrors): only its VLAN is copied.
  expect(listed).toMatch(/select_vlan\s*: \[10\]/);
  expect(await vsctl('get', 'bridge', 'ovs-eth1', 'mirrors')).not.toBe('[]');
  // NICs on other profiles are not mirrored to.
  expect(listed.match(/output_port/g)).toHaveLength(1);

  // The VM stops: libvirt deletes its ports, the mirror goes with its output port.
  await succeeded(await api('POST', `/api/v1/vms/${vmA}/poweroff`), 'power off kvp-a');
  await eventually('mirror gone with its port', async () => (await mirrors()) === '', 20_000, 250);
  expect(await vsctl('get', 'bridge', 'ovs-eth1', 'mirrors')).toBe('[]');
}, 120_000);
