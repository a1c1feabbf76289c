import { virsh, virshOrThrow } from '@kelpie/lab';
import {
  COMMANDS,
  commandQueueName,
  Host,
  HostStatus,
  PROTOCOL_VERSION,
  Vm,
  VmStatus,
} from '@kelpie/shared-types';
import { Queue, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus, CommandSigner } from '@kelpie/engine/testing';
import { tinyDomainXml } from '../agent/support/libvirt-sandbox';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';
import { openStream } from '@kelpie/test-support';

/** Engine + real agents inside 2 lab hosts: host monitoring and inventory sync. */
const HEARTBEAT_TIMEOUT_MS = 5000;
let p: TestPlatform;
let xmlDir: string;

const host = async (labHost: string) =>
  (await p.engine.api('GET', `/api/v1/hosts/${p.hosts[labHost].id}`)).body as Host;
const vm = async (id: string) => {
  const res = await p.engine.api('GET', `/api/v1/vms/${id}`);
  return res.status === 200 ? (res.body as Vm) : undefined;
};
const uriOf = (labHost: string) => p.labStatus.hosts.find((h) => h.name === labHost)!.uri;

async function defineExternal(labHost: string, name: string): Promise<string> {
  const file = join(xmlDir, `${name}.xml`);
  await writeFile(file, tinyDomainXml(name, { vnc: false }));
  await virshOrThrow(uriOf(labHost), ['define', file]);
  return (await virshOrThrow(uriOf(labHost), ['domuuid', name])).trim();
}

beforeAll(async () => {
  xmlDir = await mkdtemp(join(tmpdir(), 'kelpie-monitoring-'));
  p = await startTestPlatform({
    labName: 'km',
    subnet: 80,
    hosts: 2,
    engineEnv: { KELPIE_HEARTBEAT_TIMEOUT_MS: String(HEARTBEAT_TIMEOUT_MS) },
    agentEnv: { KELPIE_STATS_INTERVAL_MS: '1000', KELPIE_DEV_COMMANDS: 'on' },
  });
});

afterAll(async () => {
  await p?.close();
  if (xmlDir) await rm(xmlDir, { recursive: true, force: true });
});

describe('host monitoring and inventory sync', () => {
  it('brings registered hosts Up with the capabilities their agents report', async () => {
    for (const h of ['h1', 'h2']) {
      const up = await eventually(
        `${h} up with capabilities`,
        async () => {
          const x = await host(h);
          return x.status === HostStatus.Up && x.capabilities ? x : undefined;
        },
        30_000,
      );
      expect(up.capabilities!.virtualization).toBe('tcg');
      expect(up.capabilities!.cpu.count).toBeGreaterThan(0);
      expect(up.agentProtocolVersion).toBe(PROTOCOL_VERSION);
      expect(up.lastHeartbeatAt).not.toBeNull();
    }
  });

  it('shows a domain started with raw virsh as external within 2 s, and its destruction within 2 s', async () => {
    const uuid = await defineExternal('h1', 'km-ext1');
    // Defined, never started: libvirt says "shut off (unknown)"; that is no reason worth showing.
    const defined = await eventually('defined external VM recorded', async () => vm(uuid), 5_000);
    expect(defined).toMatchObject({ status: VmStatus.Down, statusReason: null });
    await virshOrThrow(uriOf('h1'), ['start', 'km-ext1']);
    const t0 = Date.now();
    const found = await eventually(
      'external VM up',
      async () => {
        const v = await vm(uuid);
        return v?.status === VmStatus.Up ? v : undefined;
      },
      2_000,
    );
    const seenAfterMs = Date.now() - t0;
    expect(found.external).toBe(true);
    expect(found.hostId).toBe(p.hosts.h1.id);
    expect(found.name).toBe('km-ext1');

    await virshOrThrow(uriOf('h1'), ['destroy', 'km-ext1']);
    const t1 = Date.now();
    await eventually('external VM down', async () => (await vm(uuid))?.status === VmStatus.Down, 2_000);
    console.log(
      `external domain seen ${seenAfterMs} ms after start, down ${Date.now() - t1} ms after destroy`,
    );
    expect((await virshOrThrow(uriOf('h1'), ['domstate', 'km-ext1'])).trim()).toBe('shut off');
  });

  it('follows a domain migrated with raw virsh to its new host, without losing the record', async () => {
    const uuid = await defineExternal('h1', 'km-ext-move');
    await virshOrThrow(uriOf('h1'), ['start', 'km-ext-move']);
    await eventually('external VM up on h1', async () => (await vm(uuid))?.hostId === p.hosts.h1.id, 5_000);
    const stream = await openStream(`${p.engine.baseUrl}/api/v1/events/stream?objectId=${uuid}`);
    try {
      const dest = uriOf('h2');
      await virshOrThrow(
        uriOf('h1'),
        ['migrate', '--live', '--p2p', '--persistent', '--undefinesource', '--unsafe', 'km-ext-move', dest],
        120_000,
      );
      await eventually(
        'external VM up on h2',
        async () => {
          const v = await vm(uuid);
          return v?.hostId === p.hosts.h2.id && v.status === VmStatus.Up;
        },
        10_000,
      );
      expect((await virshOrThrow(dest, ['domstate', 'km-ext-move'])).trim()).toBe('running');
      expect((await virsh(uriOf('h1'), ['domstate', 'km-ext-move'])).code).not.toBe(0);
      // The record was kept (same id, never deleted or re-created) and the move is in the audit log.
      await new Promise((r) => setTimeout(r, 1000));
      const types = stream.messages.map((m) => m.type);
      expect(types).not.toContain('object.deleted');
      expect(types).not.toContain('object.created');
      const events = (await p.engine.api('GET', `/api/v1/events?objectId=${uuid}&type=vm.moved_outside`))
        .body as { items: { message: string }[] };
      expect(events.items[0]?.message).toMatch(/moved from host .*h1 to .*h2 outside Kelpie/);
    } finally {
      stream.close();
      await virsh(uriOf('h2'), ['destroy', 'km-ext-move']);
      await virsh(uriOf('h2'), ['undefine', 'km-ext-move']);
    }
  });

  it('marks a host NonResponsive when its agent dies (VMs unknown), and Up + reconciled when it returns', async () => {
    const uuid = await defineExternal('h2', 'km-ext2');
    await virshOrThrow(uriOf('h2'), ['start', 'km-ext2']);
    await eventually('km-ext2 up', async () => (await vm(uuid))?.status === VmStatus.Up, 5_000);

    const stream = await openStream(`${p.engine.baseUrl}/api/v1/events/stream?objectId=${p.hosts.h2.id}`);
    await p.lab.killAgent('h2');
    const killedAt = Date.now();
    let restarted = false;
    try {
      const down = await eventually(
        'h2 non-responsive',
        async () => {
          const x = await host('h2');
          return x.status === HostStatus.NonResponsive ? x : undefined;
        },
        HEARTBEAT_TIMEOUT_MS + 5_000,
      );
      expect(Date.now() - killedAt).toBeLessThan(HEARTBEAT_TIMEOUT_MS + 3_000);
      expect(down.statusReason).toMatch(/no heartbeat/);
      expect((await vm(uuid))!.status).toBe(VmStatus.Unknown);
      // In that order on the live stream too: a view never shows the host down with the VM still up.
      const order = stream.messages.flatMap((m) =>
        m.type === 'vm.status' && m.object.id === uuid && m.to === VmStatus.Unknown
          ? ['vm unknown']
          : m.type === 'host.status' && m.to === HostStatus.NonResponsive
            ? ['host non-responsive']
            : [],
      );
      expect(order).toEqual(['vm unknown', 'host non-responsive']);

      // While nobody watches, the domain stops: the engine must learn it when the agent returns.
      await virshOrThrow(uriOf('h2'), ['destroy', 'km-ext2']);
      restarted = true;
      await p.startAgent('h2');
      await eventually('h2 up again', async () => (await host('h2')).status === HostStatus.Up, 20_000);
      await eventually(
        'km-ext2 reconciled to down',
        async () => (await vm(uuid))?.status === VmStatus.Down,
        15_000,
      );
    } finally {
      stream.close();
      // A failure above must not leave h2 without its agent for the tests after this one.
      if (!restarted) await p.startAgent('h2');
    }
  });

  it('resubscribes after a libvirtd restart: later changes still arrive and state equals libvirt', async () => {
    const uuid = await defineExternal('h1', 'km-ext3');
    await p.lab.restartLibvirtd('h1');
    await virshOrThrow(uriOf('h1'), ['start', 'km-ext3']);
    await eventually(
      'km-ext3 up after libvirtd restart',
      async () => (await vm(uuid))?.status === VmStatus.Up,
      5_000,
    );
    await virshOrThrow(uriOf('h1'), ['suspend', 'km-ext3']);
    await eventually('km-ext3 paused', async () => (await vm(uuid))?.status === VmStatus.Paused, 3_000);
    // Engine view equals libvirt for every domain of the host.
    const names = (await virshOrThrow(uriOf('h1'), ['list', '--all', '--uuid'])).split('\n').filter(Boolean);
    for (const id of names) {
      const state = (await virshOrThrow(uriOf('h1'), ['domstate', id])).trim();
      const expected =
        state === 'running' ? VmStatus.Up : state === 'paused' ? VmStatus.Paused : VmStatus.Down;
      expect((await vm(id))?.status).toBe(expected);
    }
    await virshOrThrow(uriOf('h1'), ['destroy', 'km-ext3']);
  });

  it('keeps a host Up while its command queue is flooded with slow commands', async () => {
    const bus = p.engine.app.get(CommandBus);
    const before = new Date((await host('h1')).lastHeartbeatAt!).getTime();
    const slow = Array.from({ length: 50 }, () => bus.send(p.hosts.h1.id, 'host.sleep', { ms: 2_000 }));
    const watchUntil = Date.now() + HEARTBEAT_TIMEOUT_MS * 2;
    let lastBeat = before;
    while (Date.now() < watchUntil) {
      const h = await host('h1');
      expect(h.status).toBe(HostStatus.Up);
      lastBeat = new Date(h.lastHeartbeatAt!).getTime();
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(lastBeat).toBeGreaterThan(before + HEARTBEAT_TIMEOUT_MS);
    await Promise.all(slow);
  });

  it('keeps a bounded history of host and VM stats for charts', async () => {
    const uuid = await defineExternal('h1', 'km-stats');
    await virshOrThrow(uriOf('h1'), ['start', 'km-stats']);
    const hostSamples = await eventually(
      '3 host samples',
      async () => {
        const res = await p.engine.api('GET', `/api/v1/hosts/${p.hosts.h1.id}/stats?limit=3`);
        const list = res.body as { cpuPercent: number; memTotalKiB: number }[];
        return list.length === 3 ? list : undefined;
      },
      10_000,
    );
    expect(hostSamples[0].memTotalKiB).toBeGreaterThan(0);
    const vmSamples = await eventually(
      'a VM sample',
      async () => {
        const list = (await p.engine.api('GET', `/api/v1/vms/${uuid}/stats`)).body as { cpuTimeNs: number }[];
        return list.length > 0 ? list : undefined;
      },
      10_000,
    );
    expect(vmSamples[0].cpuTimeNs).toBeGreaterThan(0);
    expect((await p.engine.api('GET', `/api/v1/hosts/${p.hosts.h1.id}/stats?limit=100000`)).status).toBe(400);
    // An unknown object is a 404, not an empty history.
    expect((await p.engine.api('GET', `/api/v1/vms/${randomUUID()}/stats`)).status).toBe(404);
    await virshOrThrow(uriOf('h1'), ['destroy', 'km-stats']);
  });

  it('rejects a payload that breaks the schema on both sides, and nothing runs', async () => {
    const uuid = await defineExternal('h2', 'km-ext4');
    const bus = p.engine.app.get(CommandBus);
    // Engine side: refused before anything is queued.
    await expect(bus.send(p.hosts.h2.id, 'vm.start', { uuid: 'not-a-uuid' })).rejects.toMatchObject({
      code: 'invalid_payload',
    });
    // Agent side: a job that bypasses the engine's check (signed by the engine's key, so that the
    // agent's payload check is what refuses it) is refused by the agent, not executed.
    const signer = p.engine.app.get(CommandSigner);
    const prefix = p.engine.config.redisPrefix;
    const name = commandQueueName(p.hosts.h2.id);
    const connection = { url: process.env.KELPIE_TEST_REDIS_URL };
    const queue = new Queue(name, { connection, prefix });
    const events = new QueueEvents(name, { connection, prefix });
    await events.waitUntilReady();
    const jobId = randomUUID();
    const job = await queue.add(
      'vm.start',
      signer.sign(p.hosts.h2.id, jobId, {
        name: 'vm.start',
        protocolVersion: PROTOCOL_VERSION,
        payload: { uuid, force: '$(reboot)', extra: 1 },
      }),
      { jobId },
    );
    const fail = job.waitUntilFinished(events, COMMANDS['vm.start'].timeoutMs);
    await expect(fail).rejects.toThrow(/invalid_payload/);
    const wrongTypeId = randomUUID();
    const wrongType = await queue.add(
      'vm.start',
      signer.sign(p.hosts.h2.id, wrongTypeId, {
        name: 'vm.start',
        protocolVersion: PROTOCOL_VERSION,
        payload: { uuid: 42 },
      }),
      { jobId: wrongTypeId },
    );
    await expect(wrongType.waitUntilFinished(events, 10_000)).rejects.toThrow(/invalid_payload/);
    await events.close();
    await queue.close();
    expect((await virsh(uriOf('h2'), ['domstate', 'km-ext4'])).stdout.trim()).toBe('shut off');
  });
});
