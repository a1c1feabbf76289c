import { testGuest, testGuestDomainXml, virsh, virshOrThrow } from '@kelpie/lab';
import { acceptedTask, finalTask as finalOf } from '@kelpie/test-support';
import type { Task, Vm } from '@kelpie/shared-types';
import { HostStatus, VmStatus } from '@kelpie/shared-types';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { agentStateDir, eventually, hostCalls, startTestPlatform, TestPlatform } from '../support/platform';

/** Host networking end to end (lab `kqn1`, 2 hosts, each with eth0 in br0 carrying the management
 * address and a free second NIC eth1): NICs reported as `ip` shows them and pushed on change, a
 * network setup that makes a bridge with MTU 9000 on eth1 (a VM's tap gets it), a required network
 * missing → non_operational until set up (its running VMs still get a console, migrate away and power
 * off; starting one there is refused), and a setup that cuts the host off rolled back by its agent. */
let p: TestPlatform;
let xmlDir: string;
const run = promisify(execFile);

const { api, hostId, host, view } = hostCalls(() => p);

interface IpLink {
  ifname: string;
  mtu: number;
  address: string;
  master?: string;
  addr_info?: { local: string; prefixlen: number; scope: string }[];
}
async function ipLinks(h: string): Promise<Map<string, IpLink>> {
  const r = await p.lab.execInHost(h, ['ip', '-j', 'addr', 'show']);
  if (r.code !== 0) throw new Error(r.stderr);
  return new Map((JSON.parse(r.stdout) as IpLink[]).map((l) => [l.ifname, l]));
}
async function inHost(h: string, ...argv: string[]): Promise<void> {
  const r = await p.lab.execInHost(h, argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
}

async function createNetwork(body: Record<string, unknown>): Promise<string> {
  const res = await api('POST', '/api/v1/networks', { datacenterId: p.datacenterId, ...body });
  if (res.status !== 201) throw new Error(`network → ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
}

async function setup(h: string, body: unknown): Promise<Task> {
  return acceptedTask(await api('POST', `/api/v1/hosts/${hostId(h)}/network-setup`, body), 'network-setup');
}

const finalTask = (id: string, ms?: number) => finalOf(api, id, ms);

beforeAll(async () => {
  xmlDir = await mkdtemp(join(tmpdir(), 'kelpie-net-'));
  p = await startTestPlatform({ labName: 'kqn1', subnet: 136, hosts: 2 });
  for (const h of ['h1', 'h2'])
    await eventually(
      `${h} up with its NICs reported`,
      async () => (await host(h)).status === HostStatus.Up && (await view(h)).reportedAt,
      60_000,
    );
}, 240_000);

afterAll(async () => {
  await run('ip', ['link', 'set', p?.lab.host('h1').trunkVeth ?? 'none', 'up']).catch(() => undefined);
  await p?.close();
  if (xmlDir) await rm(xmlDir, { recursive: true, force: true });
});

it('reports each NIC as ip shows it in the host, and pushes a change at once', async () => {
  const links = await ipLinks('h1');
  const v = await view('h1');
  for (const name of ['eth0', 'eth1']) {
    const nic = v.nics.find((n) => n.name === name)!;
    expect(nic).toMatchObject({ mac: links.get(name)!.address, mtu: links.get(name)!.mtu, driver: 'veth' });
  }
  expect(v.nics.find((n) => n.name === 'eth0')).toMatchObject({ bridge: 'br0', carrier: true });
  expect(v.bridges.find((b) => b.name === 'br0')).toMatchObject({
    ports: ['eth0'],
    addresses: [`${p.labStatus.hosts[0]!.ip}/24`],
    managed: false,
  });
  // The periodic refresh is a minute away: only the kernel event can bring this.
  await inHost('h1', 'ip', 'link', 'set', 'eth1', 'mtu', '1400');
  await eventually(
    'eth1 MTU 1400 reported',
    async () => (await view('h1')).nics.find((n) => n.name === 'eth1')?.mtu === 1400,
    10_000,
  );
});

it('refuses a setup naming a NIC the host lacks, with the field, and changes nothing', async () => {
  const jumbo = await createNetwork({ name: 'bad', bridge: 'br-bad', mtu: 9000 });
  const res = await api('POST', `/api/v1/hosts/${hostId('h1')}/network-setup`, {
    attachments: [{ networkId: jumbo, nic: 'eth9' }],
  });
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body)).toContain('attachments[0].nic');
  expect((await ipLinks('h1')).has('br-bad')).toBe(false);
});

let jumboId: string;

it('sets up a bridge per network on the chosen NIC with the network MTU; a VM tap on it gets the MTU', async () => {
  jumboId = await createNetwork({ name: 'jumbo', bridge: 'br-jumbo', mtu: 9000 });
  const task = await finalTask(
    (
      await setup('h1', {
        attachments: [{ networkId: jumboId, nic: 'eth1' }],
        connectivityTimeoutSeconds: 30,
      })
    ).id,
  );
  expect(task).toMatchObject({ status: 'succeeded' });
  const links = await ipLinks('h1');
  expect(links.get('br-jumbo')?.mtu).toBe(9000);
  expect(links.get('eth1')).toMatchObject({ master: 'br-jumbo', mtu: 9000 });
  // Persisted on the host: what the agent re-applies at its start.
  const applied = JSON.parse(
    await readFile(join(agentStateDir(p.lab, 'h1'), 'network', hostId('h1'), 'applied.json'), 'utf8'),
  );
  expect(applied).toEqual({
    attachments: [expect.objectContaining({ bridge: 'br-jumbo', nic: 'eth1', mtu: 9000 })],
    bonds: [],
  });
  await eventually(
    'br-jumbo shown as network jumbo',
    async () =>
      (await view('h1')).bridges.some((b) => b.name === 'br-jumbo' && b.networkName === 'jumbo' && b.managed),
    10_000,
  );

  // A Kelpie VM with its NIC on jumbo (its domain defined with raw virsh, as the engine would).
  const g = await testGuest();
  const name = `kqn1-${randomUUID().slice(0, 6)}`;
  const vm = await api('POST', '/api/v1/vms', { name, clusterId: p.clusterId, memoryMib: 96, vcpus: 1 });
  expect(vm.status).toBe(201);
  const nic = await api('POST', '/api/v1/nics', { vmId: vm.body.id, networkId: jumboId });
  expect(nic.status).toBe(201);
  const file = join(xmlDir, `${name}.xml`);
  await writeFile(
    file,
    testGuestDomainXml({
      name,
      uuid: vm.body.id,
      macAddress: nic.body.mac,
      memoryMiB: 96,
      vcpus: 1,
      virtType: 'qemu',
      kernel: g.kernel,
      initrd: g.initrd,
      serialLogPath: join(p.labStatus.sharedDir, `${name}.log`),
      bridge: 'br-jumbo',
    }),
  );
  const uri = p.labStatus.hosts[0]!.uri;
  await virshOrThrow(uri, ['define', file]);
  try {
    await virshOrThrow(uri, ['start', name]);
    const tap = (await virshOrThrow(uri, ['domiflist', name]))
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find((c) => c[2] === 'br-jumbo')?.[0];
    expect(tap).toBeTruthy();
    expect((await ipLinks('h1')).get(tap!)).toMatchObject({ master: 'br-jumbo', mtu: 9000 });

    // Taking jumbo off h1 while the VM runs there is refused up front, naming the VM; nothing reaches h1.
    await eventually(
      `${name} up on h1`,
      async () => {
        const v = (await api('GET', `/api/v1/vms/${vm.body.id}`)).body as Vm;
        return v.status === VmStatus.Up && v.hostId === hostId('h1');
      },
      20_000,
    );
    const setups = async () =>
      (await p.engine.sql<{ n: string }>(`SELECT count(*) n FROM task WHERE type = 'host.network_setup'`))[0]!
        .n;
    const setupsBefore = await setups();
    const refused = await api('POST', `/api/v1/hosts/${hostId('h1')}/network-setup`, { attachments: [] });
    expect([refused.status, refused.body.code]).toEqual([409, 'invalid_state']);
    expect(refused.body.message).toMatch(new RegExp(`removes jumbo .*${name} \\(nic1\\)`));
    expect(refused.body.details).toEqual([
      expect.objectContaining({ ref: expect.objectContaining({ id: vm.body.id }) }),
    ]);
    expect(await setups()).toBe(setupsBefore);
    expect((await ipLinks('h1')).get('eth1')).toMatchObject({ master: 'br-jumbo' });
  } finally {
    await virsh(uri, ['destroy', name]);
    await virsh(uri, ['undefine', name]);
    // Later setups take jumbo off h1: the engine must know the VM stopped first.
    await eventually(
      `${name} down`,
      async () => ((await api('GET', `/api/v1/vms/${vm.body.id}`)).body as Vm).status === VmStatus.Down,
      20_000,
    );
  }
});

it('makes a host lacking a required network non_operational, warns for an optional one, and a setup fixes it', async () => {
  // Two guests running on h2 before it turns non-operational: they must stay manageable there.
  const g = await testGuest();
  const guestOnH2 = async (name: string): Promise<string> => {
    const t = await finalTask(
      acceptedTask(
        await api('POST', '/api/v1/vms', {
          name,
          clusterId: p.clusterId,
          hostId: hostId('h2'),
          vcpus: 1,
          memoryMib: 96,
          maxMemoryMib: 96,
          boot: {
            kind: 'kernel',
            kernel: g.kernel,
            initrd: g.initrd,
            cmdline: 'console=ttyS0 panic=-1 quiet',
          },
          graphicsVnc: false,
        }),
        `create ${name}`,
      ).id,
    );
    expect({ name, status: t.status, error: t.errorMessage }).toEqual({
      name,
      status: 'succeeded',
      error: null,
    });
    return t.target!.id;
  };
  const [movable, stoppable] = await Promise.all([guestOnH2('kqn1-move'), guestOnH2('kqn1-stop')]);
  const power = async (vmId: string, action: string) =>
    finalTask(acceptedTask(await api('POST', `/api/v1/vms/${vmId}/${action}`), `${action} ${vmId}`).id);
  const started = await Promise.all([movable, stoppable].map((vmId) => power(vmId, 'start')));
  expect(started.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);

  const optional = await createNetwork({ name: 'extra', bridge: 'br-extra' });
  expect(
    (
      await api('POST', `/api/v1/clusters/${p.clusterId}/networks`, {
        networkId: optional,
        attachment: 'optional',
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await api('POST', `/api/v1/clusters/${p.clusterId}/networks`, {
        networkId: jumboId,
        attachment: 'required',
      })
    ).status,
  ).toBe(201);
  const h2 = await eventually(
    'h2 non_operational',
    async () => {
      const x = await host('h2');
      return x.status === HostStatus.NonOperational && x;
    },
    15_000,
  );
  expect(h2.statusReason).toMatch(/required network\(s\) missing: jumbo \(bridge br-jumbo\)/);
  expect((await view('h1')).warnings).toEqual(['optional network extra is missing (no bridge br-extra)']);
  expect((await host('h1')).status).toBe(HostStatus.Up);

  // Its running VMs: console, migration away and power-off work; starting one there is refused.
  expect((await api('POST', `/api/v1/vms/${movable}/serial-console`)).status).toBe(201);
  const moved = await finalTask(
    acceptedTask(
      await api('POST', `/api/v1/vms/${movable}/migrate`, { targetHostId: hostId('h1') }),
      'migrate off the non-operational host',
    ).id,
  );
  expect({ status: moved.status, error: moved.errorMessage }).toEqual({ status: 'succeeded', error: null });
  expect((await api('GET', `/api/v1/vms/${movable}`)).body).toMatchObject({
    status: VmStatus.Up,
    hostId: hostId('h1'),
  });
  expect((await power(stoppable, 'poweroff')).status).toBe('succeeded');
  const refused = await api('POST', `/api/v1/vms/${stoppable}/start`);
  expect([refused.status, refused.body.code]).toEqual([409, 'invalid_state']);
  expect(refused.body.message).toMatch(
    /^host \S+-h2 of VM kqn1-stop is non-operational \(required network\(s\) missing: jumbo .*\): no VM starts there until it is up again$/,
  );
  console.log(`start on the non-operational host → 409: ${refused.body.message}`);
  expect(
    (await virshOrThrow(p.labStatus.hosts.find((x) => x.name === 'h2')!.uri, ['domstate', stoppable])).trim(),
  ).toBe('shut off');
  expect((await power(movable, 'poweroff')).status).toBe('succeeded');

  const task = await finalTask(
    (await setup('h2', { attachments: [{ networkId: jumboId, nic: 'eth1' }] })).id,
  );
  expect(task.status).toBe('succeeded');
  expect((await ipLinks('h2')).get('br-jumbo')?.mtu).toBe(9000);
  await eventually('h2 up again', async () => (await host('h2')).status === HostStatus.Up, 15_000);
});

it('rolls back, on the host alone, a setup that cuts the engine off; the host comes back Up with its old config', async () => {
  const mgmt = await createNetwork({ name: 'mgmt', bridge: 'br0', vmNetwork: false });
  const ip = p.labStatus.hosts[0]!.ip;
  // eth1 loses its link: the management address moved onto it reaches nobody.
  await run('ip', ['link', 'set', p.lab.host('h1').trunkVeth, 'down']);
  const task = await finalTask(
    (
      await setup('h1', {
        attachments: [
          { networkId: mgmt, nic: 'eth1', addresses: [`${ip}/24`], gateway: p.labStatus.bridgeIp },
        ],
        connectivityTimeoutSeconds: 8,
      })
    ).id,
  );
  expect(task.status).toBe('failed');
  expect(task.errorMessage).toMatch(
    /rolled back: the engine did not reach the host within 8 s .*previous configuration was restored$/,
  );
  await run('ip', ['link', 'set', p.lab.host('h1').trunkVeth, 'up']);

  await eventually('h1 up', async () => (await host('h1')).status === HostStatus.Up, 30_000);
  const links = await ipLinks('h1');
  expect(links.get('eth0')?.master).toBe('br0');
  expect(
    links
      .get('br0')
      ?.addr_info?.filter((a) => a.scope === 'global')
      .map((a) => `${a.local}/${a.prefixlen}`),
  ).toEqual([`${ip}/24`]);
  // The network the setup would have removed is back as it was.
  expect(links.get('eth1')).toMatchObject({ master: 'br-jumbo', mtu: 9000 });
  expect(links.get('br-jumbo')?.mtu).toBe(9000);
  const v = await eventually(
    'rollback reported',
    async () => {
      const x = await view('h1');
      return x.lastSetup?.outcome === 'rolled_back' && x;
    },
    15_000,
  );
  expect(v.attachments.map((a) => a.bridge)).toEqual(['br-jumbo']);
});

it('re-applies the persisted setup when its agent starts', async () => {
  // Gone behind the agent's back (a reboot loses every bridge the same way).
  await inHost('h1', 'ip', 'link', 'del', 'br-jumbo');
  await p.lab.stopAgent('h1');
  await p.startAgent('h1');
  await eventually(
    'br-jumbo back on eth1 with MTU 9000',
    async () => {
      const links = await ipLinks('h1');
      return links.get('br-jumbo')?.mtu === 9000 && links.get('eth1')?.master === 'br-jumbo';
    },
    30_000,
  );
});
