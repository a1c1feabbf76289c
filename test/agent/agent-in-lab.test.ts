import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, virshOrThrow } from '@kelpie/lab';
import { AGENT_ENTRY, buildAgent, FakeEngine } from '@kelpie/agent/testing';
import { tinyDomainXml } from './support/libvirt-sandbox';

/** The agent as deployed: one process INSIDE a lab host (its own network + mount namespace, its own
 * libvirtd on qemu:///system), reaching Redis through the lab's forwarder on the bridge address.
 * Own lab (name ka, 10.79.0.0/24) so no other lab is disturbed. */
jest.setTimeout(240_000);

const lab = new Lab({ name: 'ka', subnet: 79 });
const HOST = 'h1';
const hostId = `kalab${randomBytes(3).toString('hex')}`;
const prefix = `kelpie_test_agentlab_${randomBytes(3).toString('hex')}`;
const redisUrl = process.env.KELPIE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let uri: string;
let engine: FakeEngine;
let xmlDir: string;

beforeAll(async () => {
  xmlDir = await mkdtemp(join(tmpdir(), 'kelpie-agentlab-xml-'));
  const [status] = await Promise.all([lab.up(1, { fresh: true }), buildAgent()]);
  const host = status.hosts.find((h) => h.name === HOST)!;
  uri = host.uri;
  engine = new FakeEngine(redisUrl, prefix, hostId);
  await engine.ready();
  await lab.spawnInHost(HOST, [process.execPath, AGENT_ENTRY], {
    role: 'agent',
    logFile: join(lab.host(HOST).dir, 'agent.log'),
    env: {
      KELPIE_HOST_ID: hostId,
      KELPIE_REDIS_URL: `redis://${status.bridgeIp}:6379`,
      KELPIE_REDIS_PREFIX: prefix,
      KELPIE_LIBVIRT_URI: 'qemu:///system',
      KELPIE_HEARTBEAT_INTERVAL_MS: '1000',
      KELPIE_RECONNECT_MAX_MS: '1000',
      KELPIE_LOG_LEVEL: 'debug',
    },
  });
  await engine.waitFor(
    'first inventory from the lab agent',
    () => engine.ofKind('inventory').length > 0,
    60_000,
  );
});

afterAll(async () => {
  await lab.stopAgent(HOST).catch(() => undefined);
  await engine?.close();
  await lab.down().catch(() => undefined);
  await FakeEngine.wipe(redisUrl, prefix);
  if (xmlDir) await rm(xmlDir, { recursive: true, force: true });
});

describe('agent inside a lab host', () => {
  it('says hello with the probed virtualization and why', async () => {
    // Real boot probe (@kelpie/host-probe): on these machines /dev/kvm usually cannot run a guest (tcg),
    // yet a KVM probe guest sometimes completes (kvm): the hello carries the verdict with its evidence.
    const hello = await engine.waitFor('hello', () => engine.ofKind('hello')[0], 60_000);
    const { virtualization, virtualizationReason } = hello.data.capabilities;
    console.log(`probe: ${virtualization} (${virtualizationReason})`);
    if (virtualization === 'kvm')
      expect(virtualizationReason).toMatch(/KVM probe guests in a row ran to completion/);
    else
      expect(virtualizationReason).toMatch(
        /probe guest did not complete|missing or not accessible|probe failed/,
      );
    // The hello may beat the first heartbeat sent after the first listing (an instant probe without /dev/kvm).
    await engine.waitFor(
      'a heartbeat saying libvirt is connected',
      () => engine.heartbeats.find((h) => h.data.libvirtConnected),
      15_000,
    );
  });

  it('reports an external domain, follows it through a libvirtd restart', async () => {
    const f = join(xmlDir, 'ext.xml');
    await writeFile(f, tinyDomainXml('ka-ext', { vnc: false }));
    await virshOrThrow(uri, ['define', f]);
    const uuid = (await virshOrThrow(uri, ['domuuid', 'ka-ext'])).trim();
    const t0 = Date.now();
    await virshOrThrow(uri, ['start', 'ka-ext']);
    const started = await engine.waitFor(
      'running ka-ext',
      () =>
        engine
          .ofKind('domain-changed', t0)
          .find((r) => r.data.uuid === uuid && r.data.domain?.state === 'running'),
      2_000,
    );
    expect(started.data.domain!.managed).toBe(false);

    const t1 = Date.now();
    await lab.restartLibvirtd(HOST);
    const inv = await engine.waitFor(
      'inventory after restart',
      () => engine.ofKind('inventory', t1).find((r) => r.data.domains.some((d) => d.uuid === uuid)),
      20_000,
    );
    expect(inv.data.domains.find((d) => d.uuid === uuid)!.state).toBe('running');

    await virshOrThrow(uri, ['destroy', 'ka-ext']);
    const t2 = Date.now();
    await engine.waitFor(
      'shutoff ka-ext',
      () =>
        engine
          .ofKind('domain-changed', t1)
          .find((r) => r.data.uuid === uuid && r.data.domain?.state === 'shutoff'),
      2_000,
    );
    expect(Date.now() - t2).toBeLessThan(2_000);
    await virshOrThrow(uri, ['undefine', 'ka-ext']);
  });

  it('stops gracefully on SIGTERM', async () => {
    const t0 = Date.now();
    await lab.stopAgent(HOST, 15_000);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const log = await readFile(join(lab.host(HOST).dir, 'agent.log'), 'utf8');
    expect(log).toContain('kelpie agent stopped');
  });
});
