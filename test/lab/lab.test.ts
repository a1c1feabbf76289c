import { existsSync, openSync, readSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Lab,
  listDomains,
  parseHeartbeats,
  testGuest,
  testGuestDomainXml,
  virsh,
  virshOrThrow,
  waitFor,
  GUEST_READY_LINE,
} from '@kelpie/lab';

/** Own lab (name kt, 10.78.0.0/24) so a platform lab brought up with `pnpm lab up` is never disturbed. */
jest.setTimeout(240000);

const lab = new Lab({ name: 'kt', subnet: 78 });
const h1 = lab.host(1);
const h2 = lab.host(2);
const GUEST = 'kt-guest';
const timings: Record<string, number> = {};

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[label] = Date.now() - started;
  }
}

const serialLog = (): string => join(lab.config.sharedDir, `${GUEST}.serial.log`);
const readSerial = (): string => (existsSync(serialLog()) ? readFileSync(serialLog(), 'utf8') : '');
const lastHeartbeat = (): number => Math.max(0, ...parseHeartbeats(readSerial()));

function diskHeartbeat(image: string): string {
  const fd = openSync(image, 'r');
  const sector = Buffer.alloc(512);
  readSync(fd, sector, 0, 512, 0);
  closeSync(fd);
  return sector.toString('latin1').trim();
}

async function heartbeatAdvances(): Promise<void> {
  const before = lastHeartbeat();
  await waitFor(`heartbeat past ${before + 1}`, async () => lastHeartbeat() >= before + 2, 30000, 300);
}

async function runningOn(host: { uri: string }): Promise<string[]> {
  return listDomains(host.uri, true);
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

describe('lab: several libvirt hosts on one machine', () => {
  beforeAll(async () => {
    await lab.down(); // leftovers of an earlier, killed run
  });

  afterAll(async () => {
    await lab.down();
    console.log('lab timings (ms)', timings);
  });

  it('brings up two hosts that answer over TCP with distinct host UUIDs and reach root-namespace Redis', async () => {
    const status = await timed('up 2 hosts', () => lab.up(2));
    expect(status.hosts.map((h) => [h.name, h.ip, h.uri, h.libvirtdAlive])).toEqual([
      ['h1', '10.78.0.11', 'qemu+tcp://10.78.0.11/system', true],
      ['h2', '10.78.0.12', 'qemu+tcp://10.78.0.12/system', true],
    ]);
    const uuids = [];
    for (const host of [h1, h2]) {
      expect((await virshOrThrow(host.uri, ['uri'])).trim()).toBe(host.uri);
      const caps = await virshOrThrow(host.uri, ['capabilities']);
      uuids.push(/<host>\s*<uuid>([^<]+)<\/uuid>/.exec(caps)?.[1]);
      expect(await virshOrThrow(host.uri, ['pool-list', '--name'])).toContain('kelpie-shared');
    }
    expect(uuids[0]).toBeTruthy();
    expect(uuids[0]).not.toBe(uuids[1]);

    // A client inside h1 reaches Redis (127.0.0.1:6379 in the root namespace) through the forwarder.
    const ping = await lab.execInHost('h1', [
      process.execPath,
      '-e',
      "const s=require('net').connect(6379,'10.78.0.1',()=>s.write('PING\\r\\n'));s.on('data',d=>{process.stdout.write(String(d));s.end()})",
    ]);
    expect(ping.stdout.trim()).toBe('+PONG');
  });

  it('boots the test guest on h1 and live-migrates it to h2 and back while its heartbeat keeps going', async () => {
    const guest = await timed('test guest (build or cache)', () => testGuest());
    const disk = join(lab.config.sharedDir, `${GUEST}.img`);
    writeFileSync(disk, Buffer.alloc(1024 * 1024));
    const xmlFile = join(lab.config.sharedDir, `${GUEST}.xml`);
    writeFileSync(
      xmlFile,
      testGuestDomainXml({
        name: GUEST,
        memoryMiB: 128,
        vcpus: 1,
        virtType: 'qemu',
        kernel: guest.kernel,
        initrd: guest.initrd,
        diskPath: disk,
        serialLogPath: serialLog(),
        bridge: 'br0',
        cmdlineExtra: 'ip=10.78.0.50/24,10.78.0.1 kelpie.dirty_mib=8',
        vnc: true,
      }),
    );
    await virshOrThrow(h1.uri, ['define', xmlFile]);
    await timed('guest boot to ready', async () => {
      await virshOrThrow(h1.uri, ['start', GUEST]);
      await waitFor('guest readiness line', async () => readSerial().includes(GUEST_READY_LINE), 60000, 200);
    });
    await heartbeatAdvances();
    expect(diskHeartbeat(disk)).toMatch(/^KELPIE-HEARTBEAT \d+ /);

    const migrate = (from: { uri: string }, to: { uri: string }) =>
      virshOrThrow(
        from.uri,
        ['migrate', '--live', '--unsafe', '--p2p', '--persistent', '--undefinesource', GUEST, to.uri],
        120000,
      );

    await timed('migrate h1→h2', () => migrate(h1, h2));
    expect(await runningOn(h2)).toEqual([GUEST]);
    expect(await runningOn(h1)).toEqual([]);
    await heartbeatAdvances();

    await timed('migrate h2→h1', () => migrate(h2, h1));
    expect(await runningOn(h1)).toEqual([GUEST]);
    expect(await runningOn(h2)).toEqual([]);
    await heartbeatAdvances();
  });

  it('restarts libvirtd in place without stopping the guest', async () => {
    const before = (await lab.status()).hosts[0].libvirtdPid!;
    await timed('restart libvirtd', () => lab.restartLibvirtd('h1'));
    const after = (await lab.status()).hosts[0].libvirtdPid!;
    expect(after).not.toBe(before);
    expect(alive(before)).toBe(false);
    expect((await virshOrThrow(h1.uri, ['domstate', GUEST])).trim()).toBe('running');
    await heartbeatAdvances();
  });

  it('is idempotent and repairs a host whose libvirtd was killed', async () => {
    const first = await lab.status();
    const again = await timed('up again (no-op)', () => lab.up(2));
    expect(again.hosts.map((h) => h.libvirtdPid)).toEqual(first.hosts.map((h) => h.libvirtdPid));

    const killed = first.hosts[1].libvirtdPid!;
    process.kill(killed, 'SIGKILL');
    await waitFor('libvirtd to die', async () => !alive(killed), 10000, 100);
    expect((await lab.status()).hosts[1].libvirtdAlive).toBe(false);
    expect((await virsh(h2.uri, ['uri'], 5000)).code).not.toBe(0);

    const repaired = await timed('up repairing h2', () => lab.up(2));
    expect(repaired.hosts[1].libvirtdAlive).toBe(true);
    expect(repaired.hosts[1].libvirtdPid).not.toBe(killed);
    expect(repaired.hosts[0].libvirtdPid).toBe(first.hosts[0].libvirtdPid); // h1 untouched
    expect((await virshOrThrow(h2.uri, ['uri'])).trim()).toBe(h2.uri);
  });

  it('runs one agent per host idempotently and kills it on request', async () => {
    const agentEntry = join(lab.config.sharedDir, 'fake-agent.js');
    writeFileSync(
      agentEntry,
      "console.log('agent', process.env.KELPIE_AGENT_HOST, require('os').networkInterfaces().br0?.[0]?.address); setInterval(() => {}, 1000);\n",
    );
    const env = (host: { name: string }) => ({ KELPIE_AGENT_HOST: host.name });
    const started = await lab.startAgents({ agentEntry, env });
    expect(started.map((s) => s.started)).toEqual([true, true]);
    const again = await lab.startAgents({ agentEntry, env });
    expect(again.map((s) => [s.started, s.pid])).toEqual(started.map((s) => [false, s.pid]));

    const logFile = join(h1.dir, 'agent.log');
    await waitFor(
      'agent output',
      async () => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('agent h1 10.78.0.11'),
      10000,
    );

    await lab.killAgent('h1');
    expect(alive(started[0].pid)).toBe(false);
    expect((await lab.status()).hosts.map((h) => h.agentPid)).toEqual([undefined, started[1].pid]);
  });

  it('down removes namespaces, links, processes and state, and nothing else', async () => {
    const status = await lab.status();
    const pids = status.hosts
      .flatMap((h) => [h.libvirtdPid, h.virtlogdPid, h.agentPid])
      .filter((p): p is number => !!p);
    const qemuPid = readFileSync(join(h1.dir, 'run-libvirt', 'qemu', `${GUEST}.pid`), 'utf8').trim();
    pids.push(Number(qemuPid), ...status.forwarders.map((f) => f.pid!));
    expect(pids.every(alive)).toBe(true);

    await timed('down', () => lab.down());

    expect(pids.filter(alive)).toEqual([]);
    const netns = await import('node:child_process').then(({ execFileSync }) =>
      execFileSync('ip', ['netns', 'list']).toString(),
    );
    expect(netns).not.toMatch(/^kt-h\d+/m);
    const links = await import('node:child_process').then(({ execFileSync }) =>
      execFileSync('ip', ['-o', 'link', 'show']).toString(),
    );
    expect(links).not.toMatch(/\bkt-h\d+\b|\bktbr0\b/);
    expect(existsSync(lab.config.stateDir)).toBe(false);
  });

  it("up with fresh: true starts from nothing: a killed run's defined guest does not come back", async () => {
    await lab.up(2);
    const guest = await testGuest();
    const xmlFile = join(lab.config.sharedDir, 'leftover.xml');
    writeFileSync(
      xmlFile,
      testGuestDomainXml({
        name: 'kt-leftover',
        memoryMiB: 96,
        vcpus: 1,
        virtType: 'qemu',
        kernel: guest.kernel,
        initrd: guest.initrd,
        serialLogPath: join(lab.config.sharedDir, 'leftover.log'),
      }),
    );
    await virshOrThrow(h1.uri, ['define', xmlFile]);
    const listed = async () => (await virshOrThrow(h1.uri, ['list', '--all', '--name'])).trim();
    // A plain up keeps what is there (the devstack relies on it) …
    await lab.up(2);
    expect(await listed()).toBe('kt-leftover');
    // … a fresh one (tests, benchmarks) takes the lab down first, definitions included.
    const fresh = await timed('up fresh', () => lab.up(2, { fresh: true }));
    expect(fresh.hosts.map((h) => h.libvirtdAlive)).toEqual([true, true]);
    expect(await listed()).toBe('');
  });
});
