import { ensureDebianPackages, testGuest, virshOrThrow, type TestGuest } from '@kelpie/lab';
import { acceptedTask, finalTask as finalOf } from '@kelpie/test-support';
import type { Task, VnicProfile } from '@kelpie/shared-types';
import { eventually, hostCalls, startTestPlatform, TestPlatform } from '../support/platform';
import { created, pingGuestVm } from './ping-guest';

/** Port mirroring on a Linux bridge (lab `kbm1`, 1 host, Linux bridge cluster; ADR 0067). Network
 * `mir` is a bridge on eth1; guests a and b ping each other on it, guest m's NIC is on a profile with
 * port mirroring: its tap is named `kmir…`, every other port of the bridge gets a tc ingress filter
 * (and the bridge an egress one) mirroring to it, the tap floods and learns nothing, and tcpdump on it
 * sees the ICMP between a and b; when m stops Kelpie's filters are gone. */
let p: TestPlatform;
let guest: TestGuest;
const { api, hostId, view } = hostCalls(() => p);
const uri = () => p.labStatus.hosts.find((x) => x.name === 'h1')!.uri;
const PREF = 49001;

async function inHost(...argv: string[]): Promise<string> {
  const r = await p.lab.execInHost('h1', argv, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`h1: ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

async function succeeded(
  res: { status: number; body: unknown; headers: Headers },
  what: string,
): Promise<Task> {
  const t = await finalOf(api, acceptedTask(res, what).id, 120_000);
  expect({ what, status: t.status, error: t.errorMessage }).toEqual({
    what,
    status: 'succeeded',
    error: null,
  });
  return t;
}

const serialLog = async (vmId: string) =>
  (await p.lab.execInHost('h1', ['cat', `/var/log/libvirt/qemu/${vmId}.serial.log`])).stdout;
const pings = (log: string) => log.split('\n').filter((l) => /KELPIE-PING \S+ ok\s*$/.test(l)).length;

/** The tap of the VM's (only) NIC, from `virsh domiflist`. */
async function tapOf(vmId: string): Promise<string> {
  const row = (await virshOrThrow(uri(), ['domiflist', vmId]))
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((c) => c[1] === 'bridge');
  if (!row) throw new Error(`no tap for ${vmId}`);
  return row[0]!;
}

/** Where Kelpie's filters (pref 49001) on a device and direction mirror to. */
async function mirroredTo(dev: string, dir: 'ingress' | 'egress'): Promise<string[]> {
  const rows = JSON.parse((await inHost('tc', '-j', 'filter', 'show', 'dev', dev, dir)) || '[]') as {
    pref: number;
    options?: { actions?: { kind: string; to_dev: string }[] };
  }[];
  return rows
    .filter((r) => r.pref === PREF)
    .flatMap((r) => r.options?.actions ?? [])
    .filter((a) => a.kind === 'mirred')
    .map((a) => a.to_dev);
}

let net: string;
const vms: Record<string, string> = {};

beforeAll(async () => {
  // tcpdump watches the listening tap (not among the lab's packages: only this test needs it).
  await ensureDebianPackages(['tcpdump']);
  guest = await testGuest();
  p = await startTestPlatform({ labName: 'kbm1', subnet: 141, hosts: 1 });
  await eventually('h1 NICs reported', async () => (await view('h1')).reportedAt, 60_000);
  net = (
    await created(
      await api('POST', '/api/v1/networks', { datacenterId: p.datacenterId, name: 'mir', bridge: 'vmmir' }),
      'network mir',
    )
  ).id;
  await created(
    await api('POST', `/api/v1/clusters/${p.clusterId}/networks`, { networkId: net, attachment: 'optional' }),
    'attach mir',
  );
  await succeeded(
    await api('POST', `/api/v1/hosts/${hostId('h1')}/network-setup`, {
      attachments: [{ networkId: net, nic: 'eth1' }],
      connectivityTimeoutSeconds: 30,
    }),
    'network setup on h1',
  );
}, 300_000);

afterAll(async () => {
  await p?.close();
});

async function startVm(name: string, nic: Record<string, string>, ip: string, ping: string): Promise<string> {
  const t = await succeeded(
    await api(
      'POST',
      '/api/v1/vms',
      pingGuestVm(guest, { name, clusterId: p.clusterId, hostId: hostId('h1'), nic, ip, ping }),
    ),
    `create ${name}`,
  );
  const id = t.target!.id;
  await succeeded(await api('POST', `/api/v1/vms/${id}/start`), `start ${name}`);
  return id;
}

it('mirrors the bridge to the NIC on a port-mirroring profile with tc, and removes the filters when it stops', async () => {
  const ids = await created<VnicProfile>(
    await api('POST', `/api/v1/networks/${net}/vnic-profiles`, { name: 'ids', portMirroring: true }),
    'profile ids',
  );
  expect(ids).toMatchObject({ portMirroring: true });
  vms.a = await startVm('kbm-a', { networkId: net }, '10.141.0.1', '10.141.0.2');
  vms.b = await startVm('kbm-b', { networkId: net }, '10.141.0.2', '10.141.0.1');
  vms.m = await startVm('kbm-m', { profileId: ids.id }, '10.141.0.9', '10.141.0.1');
  const [tapA, tapB, tapM] = [await tapOf(vms.a), await tapOf(vms.b), await tapOf(vms.m)];
  // The mark: the listening NIC's tap is named after its NIC id; the others keep libvirt's names.
  expect(tapM).toMatch(/^kmir[0-9a-f]{11}$/);
  expect([tapA, tapB]).toEqual([expect.stringMatching(/^vnet\d+$/), expect.stringMatching(/^vnet\d+$/)]);

  const ports = [tapA, tapB, 'eth1'];
  await eventually(
    `every other port of vmmir and the bridge mirror to ${tapM}`,
    async () => {
      for (const dev of ports) if ((await mirroredTo(dev, 'ingress')).join() !== tapM) return false;
      return (await mirroredTo('vmmir', 'egress')).join() === tapM;
    },
    20_000,
    250,
  );
  console.log(
    `tc filter show dev ${tapA} ingress on h1:\n${await inHost('tc', 'filter', 'show', 'dev', tapA, 'ingress')}`,
  );
  // Not onto itself; the listening port gets only the copies (no flooding, no learned MAC).
  expect(await mirroredTo(tapM, 'ingress')).toEqual([]);
  const slave = async (dev: string) =>
    (
      JSON.parse(await inHost('ip', '-j', '-d', 'link', 'show', 'dev', dev)) as {
        linkinfo: { info_slave_data: Record<string, unknown> };
      }[]
    )[0]!.linkinfo.info_slave_data;
  expect(await slave(tapM)).toMatchObject({
    flood: false,
    mcast_flood: false,
    bcast_flood: false,
    learning: false,
  });
  expect(await slave(tapA)).toMatchObject({ flood: true, learning: true });

  // Real traffic: a and b ping each other (each every second); m's tap carries copies of both
  // directions (six packets between a and b: at least one of a's requests and b's reply to it).
  try {
    await eventually('a reaches b', async () => pings(await serialLog(vms.a)) >= 2, 120_000, 500);
  } catch (e) {
    for (const vm of ['a', 'b', 'm'])
      console.log(`serial log of ${vm}:\n${(await serialLog(vms[vm]!)).slice(-1500)}`);
    console.log(await inHost('ip', '-s', '-d', 'link', 'show', 'master', 'vmmir'));
    console.log(await inHost('ip', '-d', 'link', 'show', 'vmmir'));
    console.log(
      await inHost(
        'sh',
        '-c',
        'sysctl -a 2>/dev/null | grep bridge-nf; nft list ruleset 2>&1 | head -30; iptables -S 2>&1 | head',
      ),
    );
    throw e;
  }
  const dump = await inHost(
    'timeout',
    '30',
    'tcpdump',
    '-nn',
    '-l',
    '-i',
    tapM,
    '-c',
    '6',
    'icmp and host 10.141.0.1 and host 10.141.0.2',
  );
  console.log(`tcpdump -i ${tapM} icmp on h1:\n${dump}`);
  expect(dump).toMatch(/10\.141\.0\.1 > 10\.141\.0\.2: ICMP echo request/);
  expect(dump).toMatch(/10\.141\.0\.2 > 10\.141\.0\.1: ICMP echo reply/);

  // m stops: its tap goes, and with it every filter of Kelpie's; the clsact qdiscs may stay.
  await succeeded(await api('POST', `/api/v1/vms/${vms.m}/poweroff`), 'power off kbm-m');
  await eventually(
    'Kelpie’s filters gone',
    async () => {
      for (const dev of ports) if ((await mirroredTo(dev, 'ingress')).length) return false;
      return (await mirroredTo('vmmir', 'egress')).length === 0;
    },
    20_000,
    250,
  );
}, 300_000);
