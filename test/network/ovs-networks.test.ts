import { testGuest, virshOrThrow, type TestGuest } from '@kelpie/lab';
import { acceptedTask, finalTask as finalOf } from '@kelpie/test-support';
import type { Task, Vm } from '@kelpie/shared-types';
import { HostStatus, VmStatus } from '@kelpie/shared-types';
import { eventually, hostCalls, startTestPlatform, TestPlatform } from '../support/platform';
import { pingGuestVm } from './ping-guest';

/** Open vSwitch networks end to end (lab `kqv1`, 2 hosts, each running its own ovsdb-server and
 * ovs-vswitchd with the user-space datapath: this kernel has no OVS module). A cluster of switch type
 * `ovs`; network setup makes the NIC's OVS bridge and one fake bridge per VLAN network; VMs on VLAN
 * 10 and 20 get access ports tagged 10/20 through libvirt's `<virtualport type='openvswitch'>`; two
 * guests on VLAN 10 (one per host) ping each other over the hosts' second NICs, the guest on VLAN 20
 * reaches neither; a live migration keeps the port's tag and the traffic; a setup that cuts the
 * agent off its engine is rolled back on the host, OVS included. */
let p: TestPlatform;
let guest: TestGuest;

const { api, hostId, host, view } = hostCalls(() => p);
const uri = (h: string) => p.labStatus.hosts.find((x) => x.name === h)!.uri;

async function inHost(h: string, ...argv: string[]): Promise<string> {
  const r = await p.lab.execInHost(h, argv);
  if (r.code !== 0) throw new Error(`${h}: ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}
const vsctl = (h: string, ...args: string[]) => inHost(h, 'ovs-vsctl', ...args);

async function created(res: { status: number; body: unknown }, what: string): Promise<string> {
  if (res.status !== 201) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
}

async function finalTask(
  res: { status: number; body: unknown; headers: Headers },
  what: string,
  ms = 120_000,
): Promise<Task> {
  return finalOf(api, acceptedTask(res, what).id, ms);
}

async function succeeded(
  res: { status: number; body: unknown; headers: Headers },
  what: string,
): Promise<Task> {
  const t = await finalTask(res, what);
  expect({ what, status: t.status, error: t.errorMessage }).toEqual({
    what,
    status: 'succeeded',
    error: null,
  });
  return t;
}

const serialLog = async (h: string, vmId: string) =>
  (await p.lab.execInHost(h, ['cat', `/var/log/libvirt/qemu/${vmId}.serial.log`])).stdout;
const pings = (log: string, ok: 'ok' | 'fail') =>
  log.split('\n').filter((l) => l.includes(`KELPIE-PING`) && l.trim().endsWith(ok)).length;

/** The tap libvirt made for the VM's (only) NIC on its host. */
async function tapOf(h: string, vmId: string): Promise<string> {
  const row = (await virshOrThrow(uri(h), ['domiflist', vmId]))
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((c) => /^vnet\d+$/.test(c[0] ?? ''));
  if (!row) throw new Error(`no tap for ${vmId} on ${h}`);
  return row[0]!;
}

let net10: string;
let net20: string;
const vms: Record<string, string> = {};

beforeAll(async () => {
  guest = await testGuest();
  p = await startTestPlatform({
    labName: 'kqv1',
    subnet: 161,
    hosts: 2,
    openvswitch: true,
    agentEnv: { KELPIE_OVS_DATAPATH: 'netdev' },
  });
  for (const h of ['h1', 'h2'])
    await eventually(`${h} NICs reported`, async () => (await view(h)).reportedAt, 60_000);
}, 240_000);

afterAll(async () => {
  await p?.close();
});

it('sets up the OVS bridge on the NIC and one fake bridge per VLAN network (netdev datapath)', async () => {
  // Hosts carry their networks as set up: the switch type changes only with them in maintenance.
  const refused = await api('PATCH', `/api/v1/clusters/${p.clusterId}`, { switchType: 'ovs' });
  expect(refused.status).toBe(409);
  expect(JSON.stringify(refused.body)).toMatch(/not in maintenance \(\S+-h1, \S+-h2\)/);
  for (const h of ['h1', 'h2'])
    await succeeded(await api('POST', `/api/v1/hosts/${hostId(h)}/maintenance`), `${h} to maintenance`);
  const cluster = await api('PATCH', `/api/v1/clusters/${p.clusterId}`, { switchType: 'ovs' });
  expect(cluster.status).toBe(200);
  for (const h of ['h1', 'h2']) {
    expect((await api('POST', `/api/v1/hosts/${hostId(h)}/activate`)).status).toBe(200);
    await eventually(`${h} up again`, async () => (await host(h)).status === HostStatus.Up, 30_000, 250);
  }
  expect(cluster.body).toMatchObject({ switchType: 'ovs' });
  const bad = await api('PATCH', `/api/v1/clusters/${p.clusterId}`, { switchType: 'vde' });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('switchType');

  net10 = await created(
    await api('POST', '/api/v1/networks', {
      datacenterId: p.datacenterId,
      name: 'v10',
      bridge: 'vmnet10',
      vlanId: 10,
    }),
    'network v10',
  );
  net20 = await created(
    await api('POST', '/api/v1/networks', {
      datacenterId: p.datacenterId,
      name: 'v20',
      bridge: 'vmnet20',
      vlanId: 20,
    }),
    'network v20',
  );
  for (const networkId of [net10, net20])
    expect(
      (await api('POST', `/api/v1/clusters/${p.clusterId}/networks`, { networkId, attachment: 'required' }))
        .status,
    ).toBe(201);

  for (const h of ['h1', 'h2'])
    await succeeded(
      await api('POST', `/api/v1/hosts/${hostId(h)}/network-setup`, {
        attachments: [
          { networkId: net10, nic: 'eth1' },
          { networkId: net20, nic: 'eth1' },
        ],
        connectivityTimeoutSeconds: 30,
      }),
      `network setup on ${h}`,
    );

  const show = await vsctl('h1', 'show');
  console.log(`ovs-vsctl show on h1 after the setup:\n${show}`);
  expect(show).toMatch(/Bridge ovs-eth1\s+datapath_type: netdev/);
  expect(show).toMatch(/Port eth1\s+Interface eth1/);
  for (const h of ['h1', 'h2']) {
    expect(await vsctl(h, 'port-to-br', 'eth1')).toBe('ovs-eth1');
    expect(await vsctl(h, 'br-to-parent', 'vmnet10')).toBe('ovs-eth1');
    expect(await vsctl(h, 'br-to-vlan', 'vmnet10')).toBe('10');
    expect(await vsctl(h, 'br-to-vlan', 'vmnet20')).toBe('20');
  }
  const v = await eventually(
    'OVS bridges reported as the networks',
    async () => {
      const x = await view('h1');
      return x.bridges.some((b) => b.name === 'vmnet20' && b.networkName === 'v20') && x;
    },
    15_000,
  );
  expect(v.bridges.find((b) => b.name === 'vmnet10')).toMatchObject({
    switchType: 'ovs',
    parent: 'ovs-eth1',
    vlanId: 10,
    managed: true,
    networkName: 'v10',
  });
  expect(v.nics.find((n) => n.name === 'eth1')).toMatchObject({ bridge: 'ovs-eth1' });
  // Required networks carried: the hosts stay Up.
  for (const h of ['h1', 'h2']) expect((await host(h)).status).toBe(HostStatus.Up);
}, 180_000);

async function startVm(
  name: string,
  h: string,
  networkId: string,
  ip: string,
  ping: string,
): Promise<string> {
  const t = await succeeded(
    await api(
      'POST',
      '/api/v1/vms',
      pingGuestVm(guest, { name, clusterId: p.clusterId, hostId: hostId(h), nic: { networkId }, ip, ping }),
    ),
    `create ${name}`,
  );
  const id = t.target!.id;
  await succeeded(await api('POST', `/api/v1/vms/${id}/start`), `start ${name}`);
  return id;
}

it('reports an OVS database change at once (ovsdb monitor), not at the next periodic refresh (60 s)', async () => {
  // A port for a device that does not exist: a change in ovsdb only, no kernel link event.
  const ports = async () => (await view('h1')).bridges.find((b) => b.name === 'ovs-eth1')?.ports ?? [];
  await vsctl('h1', 'add-port', 'ovs-eth1', 'kqvghost');
  try {
    await eventually(
      'the new port in the host network view',
      async () => (await ports()).includes('kqvghost'),
      15_000,
      250,
    );
  } finally {
    await vsctl('h1', '--if-exists', 'del-port', 'ovs-eth1', 'kqvghost');
  }
  await eventually(
    'the port gone from the view',
    async () => !(await ports()).includes('kqvghost'),
    15_000,
    250,
  );
});

it('plugs VM NICs into OVS as access ports of their network VLAN (10, 20)', async () => {
  vms.a = await startVm('kqv-a', 'h1', net10, '192.168.61.1', '192.168.61.2');
  vms.b = await startVm('kqv-b', 'h2', net10, '192.168.61.2', '192.168.61.1');
  vms.c = await startVm('kqv-c', 'h1', net20, '192.168.61.3', '192.168.61.1');

  const xml = await virshOrThrow(uri('h1'), ['dumpxml', vms.a]);
  expect(xml).toMatch(/<virtualport type='openvswitch'>/);
  expect(xml).toMatch(/<vlan>\s*<tag id='10'\/>\s*<\/vlan>/);
  const tapA = await tapOf('h1', vms.a);
  const tapB = await tapOf('h2', vms.b);
  const tapC = await tapOf('h1', vms.c);
  expect(await vsctl('h1', 'get', 'port', tapA, 'tag')).toBe('10');
  expect(await vsctl('h2', 'get', 'port', tapB, 'tag')).toBe('10');
  expect(await vsctl('h1', 'get', 'port', tapC, 'tag')).toBe('20');
  expect(await vsctl('h1', 'port-to-br', tapA)).toBe('vmnet10');
  expect(await vsctl('h1', 'port-to-br', tapC)).toBe('vmnet20');
  console.log(
    `ovs-vsctl list port on h1 (tags):\n${await vsctl('h1', '--columns=name,tag', 'list', 'port')}`,
  );

  // A network still used by a running VM's NIC is not removed from under it: refused up front (the
  // agent refuses too, unit-tested), nothing changes on the host.
  const refused = await api('POST', `/api/v1/hosts/${hostId('h1')}/network-setup`, {
    attachments: [{ networkId: net10, nic: 'eth1' }],
  });
  expect([refused.status, (refused.body as { code: string }).code]).toEqual([409, 'invalid_state']);
  expect((refused.body as { message: string }).message).toMatch(/removes v20 .*kqv-c \(nic1\)/);
  expect(await vsctl('h1', 'br-to-vlan', 'vmnet20')).toBe('20');
}, 240_000);

it('lets the two VLAN 10 guests (on different hosts) reach each other, and not the VLAN 20 guest', async () => {
  await eventually(
    'a reaches b over VLAN 10',
    async () => pings(await serialLog('h1', vms.a), 'ok') >= 3,
    60_000,
  );
  await eventually(
    'b reaches a over VLAN 10',
    async () => pings(await serialLog('h2', vms.b), 'ok') >= 3,
    30_000,
  );
  // c pings a on the same IP subnet from VLAN 20: every attempt (the guest waits 1 s for each) fails.
  await eventually(
    'c has tried a few times',
    async () => pings(await serialLog('h1', vms.c), 'fail') >= 8,
    60_000,
  );
  expect(pings(await serialLog('h1', vms.c), 'ok')).toBe(0);

  // OVS's own answer for a broadcast from a's port: flooded to VLAN 10's ports and the trunk (tagged
  // 10), never to c's VLAN 20 port.
  const tapA = await tapOf('h1', vms.a);
  const tapC = await tapOf('h1', vms.c);
  const trace = await inHost(
    'h1',
    'ovs-appctl',
    'ofproto/trace',
    'ovs-eth1',
    `in_port=${tapA},dl_src=52:54:00:00:00:0a,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0806`,
  );
  console.log(`ofproto/trace of a broadcast from ${tapA} (VLAN 10):\n${trace}`);
  const datapathActions = trace.split('\n').find((l) => l.startsWith('Datapath actions:')) ?? '';
  expect(datapathActions).toMatch(/push_vlan\(vid=10/);
  // Datapath port numbers: `ovs-appctl dpif/show` lists `<port> <ofport>/<dp port>: (…)`.
  const dpif = await inHost('h1', 'ovs-appctl', 'dpif/show');
  const dpPort = (name: string) => new RegExp(`^\\s*${name} \\d+/(\\d+):`, 'm').exec(dpif)?.[1];
  const outputs = datapathActions
    .replace('Datapath actions:', '')
    .split(',')
    .map((x) => x.trim());
  expect(dpPort(tapC)).toBeTruthy();
  expect(outputs).toContain(dpPort('eth1'));
  expect(outputs).not.toContain(dpPort(tapC));
}, 180_000);

it('live-migrates a VM on an OVS network: its port appears on the target with the same tag, traffic goes on', async () => {
  await succeeded(
    await api('POST', `/api/v1/vms/${vms.a}/migrate`, { targetHostId: hostId('h2') }),
    'migrate a to h2',
  );
  const vm = (await api('GET', `/api/v1/vms/${vms.a}`)).body as Vm;
  expect(vm).toMatchObject({ status: VmStatus.Up, hostId: hostId('h2') });
  const tap = await tapOf('h2', vms.a);
  expect(await vsctl('h2', 'get', 'port', tap, 'tag')).toBe('10');
  expect(await vsctl('h2', 'port-to-br', tap)).toBe('vmnet10');
  // The serial log on h2 starts with the migration: new replies came over h2's OVS (same host as b now).
  await eventually(
    'a reaches b after the move',
    async () => pings(await serialLog('h2', vms.a), 'ok') >= 3,
    30_000,
  );
}, 180_000);

it('rolls back, on the host, an OVS setup that cuts the agent off: the fake bridge goes, the others stay', async () => {
  // The lab bridge's address (where the engine's Redis is reached) made local on the host: the
  // engine's confirmation cannot arrive any more.
  const cut = await created(
    await api('POST', '/api/v1/networks', {
      datacenterId: p.datacenterId,
      name: 'cut',
      bridge: 'cutnet',
      vlanId: 30,
      vmNetwork: false,
    }),
    'network cut',
  );
  const t = await finalTask(
    await api('POST', `/api/v1/hosts/${hostId('h1')}/network-setup`, {
      attachments: [
        { networkId: net10, nic: 'eth1' },
        { networkId: net20, nic: 'eth1' },
        { networkId: cut, nic: 'eth1', addresses: [`${p.labStatus.bridgeIp}/32`] },
      ],
      connectivityTimeoutSeconds: 8,
    }),
    'cutting setup',
  );
  expect(t.status).toBe('failed');
  expect(t.errorMessage).toMatch(
    /rolled back: the engine did not reach the host within 8 s .*previous configuration was restored$/,
  );
  expect((await p.lab.execInHost('h1', ['ovs-vsctl', 'br-exists', 'cutnet'])).code).toBe(2);
  expect(await vsctl('h1', 'br-to-vlan', 'vmnet10')).toBe('10');
  expect(await vsctl('h1', 'br-to-vlan', 'vmnet20')).toBe('20');
  await eventually('h1 up', async () => (await host('h1')).status === HostStatus.Up, 30_000);
  const v = await eventually(
    'rollback reported',
    async () => {
      const x = await view('h1');
      return x.lastSetup?.outcome === 'rolled_back' && x;
    },
    20_000,
  );
  expect(v.attachments.map((a) => a.bridge).sort()).toEqual(['vmnet10', 'vmnet20']);
}, 180_000);

it("negotiates LACP between two hosts' OVS bonds (balance-tcp, active ↔ passive) over direct links", async () => {
  // Two veth pairs straight from h1 to h2 (the trunk bridge would drop LACP's slow-protocol frames).
  const { execFileSync } = await import('node:child_process');
  const ns = (h: string) => p.lab.host(h).netns;
  for (const nic of ['lacp1', 'lacp2'])
    execFileSync('ip', [
      'link',
      'add',
      nic,
      'netns',
      ns('h1'),
      'type',
      'veth',
      'peer',
      'name',
      nic,
      'netns',
      ns('h2'),
    ]);
  for (const h of ['h1', 'h2'])
    await eventually(
      `${h} reports lacp1, lacp2`,
      async () => (await view(h)).nics.filter((n) => /^lacp[12]$/.test(n.name)).length === 2,
      30_000,
    );
  const bond = (lacp: string, extra: object = {}) => ({
    attachments: [
      { networkId: net10, nic: 'eth1' },
      { networkId: net20, nic: 'eth1' },
    ],
    bonds: [
      { name: 'lb0', members: ['lacp1', 'lacp2'], mode: 'balance-tcp', lacp, lacpRate: 'fast', ...extra },
    ],
    connectivityTimeoutSeconds: 30,
  });
  const setup = (h: string, body: unknown) => api('POST', `/api/v1/hosts/${hostId(h)}/network-setup`, body);

  // Bad LACP settings: 400 with the field, nothing reaches the host.
  const bad: [object, string, RegExp][] = [
    [{ lacp: undefined, lacpRate: undefined }, 'bonds[0].lacp', /balance-tcp needs LACP/],
    [{ lacp: 'sometimes' }, 'lacp', /lacp must be one of/],
    [{ mode: 'balance-slb', lacp: 'off' }, 'bonds[0].lacpRate', /lacpRate needs lacp active or passive/],
  ];
  for (const [extra, field, why] of bad) {
    const r = await setup('h1', bond('active', extra));
    expect({ status: r.status, body: JSON.stringify(r.body) }).toEqual({
      status: 400,
      body: expect.stringMatching(why),
    });
    expect(JSON.stringify(r.body)).toContain(field);
  }
  expect((await p.lab.execInHost('h1', ['ovs-vsctl', 'br-exists', 'ovs-lb0'])).code).toBe(2);

  await succeeded(await setup('h1', bond('active')), 'LACP bond on h1');
  await succeeded(await setup('h2', bond('passive')), 'LACP bond on h2');
  const cols = (h: string) => vsctl(h, 'get', 'port', 'lb0', 'bond_mode', 'lacp', 'other_config');
  console.log(`h1: ovs-vsctl get port lb0 bond_mode lacp other_config:\n${await cols('h1')}`);
  expect((await cols('h1')).split('\n')).toEqual([
    'balance-tcp',
    'active',
    expect.stringMatching(/^\{(?=.*lacp-fallback-ab="?true"?)(?=.*lacp-time=fast).*\}$/),
  ]);
  expect((await cols('h2')).split('\n').slice(0, 2)).toEqual(['balance-tcp', 'passive']);

  const lacpShow = (h: string) => inHost(h, 'ovs-appctl', 'lacp/show', 'lb0');
  const negotiated = await eventually(
    'LACP negotiated on both hosts',
    async () => {
      const [a, b] = [await lacpShow('h1'), await lacpShow('h2')];
      return /status: active negotiated/.test(a) && /status: passive negotiated/.test(b) && [a, b];
    },
    30_000,
    500,
  );
  console.log(`h1 ovs-appctl lacp/show lb0:\n${negotiated[0]}\nh2:\n${negotiated[1]}`);
  // Each end's partner is the other host's vswitchd (not one talking to itself).
  const sysId = (show: string, who: 'actor' | 'partner') =>
    new RegExp(`${who} sys_id: (\\S+)`).exec(show)?.[1];
  expect(sysId(negotiated[0], 'partner')).toBe(sysId(negotiated[1], 'actor'));
  expect(sysId(negotiated[1], 'partner')).toBe(sysId(negotiated[0], 'actor'));
  expect(sysId(negotiated[0], 'actor')).not.toBe(sysId(negotiated[1], 'actor'));
  // The bond says negotiated once one member is; the second follows a few LACP PDUs later.
  const show = await eventually(
    'both members of the LACP bond enabled',
    async () => {
      const out = await inHost('h1', 'ovs-appctl', 'bond/show', 'lb0');
      return /(member|slave) lacp2: enabled/.test(out) && /(member|slave) lacp1: enabled/.test(out) && out;
    },
    30_000,
    500,
  );
  expect(show).toMatch(/lacp_status: negotiated/);
  expect(show).toMatch(/(member|slave) lacp1: enabled/);
  expect(show).toMatch(/(member|slave) lacp2: enabled/);
  const v = await eventually(
    'LACP reported',
    async () => {
      const x = await view('h1');
      return x.bonds.find((b) => b.name === 'lb0' && b.lacp === 'active');
    },
    20_000,
  );
  expect(v).toMatchObject({ mode: 'balance-tcp', lacp: 'active', lacpRate: 'fast', bridge: 'ovs-lb0' });
}, 120_000);

it('prints what this kernel cannot do for host networking (kernel VLAN devices, bonds), which OVS replaces here', async () => {
  const probes = [
    {
      what: '802.1q VLAN device',
      argv: ['ip', 'link', 'add', 'link', 'eth1', 'name', 'eth1.10', 'type', 'vlan', 'id', '10'],
      dev: 'eth1.10',
    },
    {
      what: 'bond',
      argv: ['ip', 'link', 'add', 'kqvbond0', 'type', 'bond', 'mode', 'active-backup'],
      dev: 'kqvbond0',
    },
  ];
  for (const probe of probes) {
    const r = await p.lab.execInHost('h1', probe.argv);
    if (r.code === 0) {
      await inHost('h1', 'ip', 'link', 'del', probe.dev);
      console.log(`${probe.what}: this kernel can make one (${probe.argv.join(' ')} worked)`);
    } else
      console.log(
        `${probe.what}: not testable here, this kernel refuses \`${probe.argv.join(' ')}\`: ${r.stderr.trim()} ` +
          '(no module and modules cannot be loaded); VLANs are carried by Open vSwitch (user-space datapath) instead, ' +
          'Linux-bridge VLAN and bond commands are covered by unit tests only',
      );
  }
});
