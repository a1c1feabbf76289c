import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { decodeAgentError, type DomainSnapshot } from '@kelpie/shared-types';
import { AgentProcess, buildAgent, FakeEngine, ROOT } from '@kelpie/agent/testing';
import { LibvirtSandbox, tinyDomainXml } from './support/libvirt-sandbox';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';

/** The agent as a real process against a real libvirtd (a private sandbox daemon, TCG guests) and
 * the real Redis, with this file playing the engine on the queues. */
const HEARTBEAT_MS = 500;
// The jest project's testTimeout is not applied per test here; say it explicitly.
jest.setTimeout(60_000);
const hostId = `ka${randomBytes(3).toString('hex')}`;
const prefix = `kelpie_test_agent_${randomBytes(3).toString('hex')}`;
const redisUrl = process.env.KELPIE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let sbx: LibvirtSandbox;
let engine: FakeEngine;
let agent: AgentProcess;
let xmlDir: string;
const latencies: Array<{ what: string; ms: number }> = [];

async function virshDefine(xml: string): Promise<void> {
  const f = join(xmlDir, `d-${randomBytes(3).toString('hex')}.xml`);
  await writeFile(f, xml);
  await sbx.virsh(['define', f]);
}

async function libvirtView(): Promise<Array<{ uuid: string; state: string }>> {
  const out = await sbx.virsh(['list', '--all', '--uuid']);
  const uuids = out.split('\n').filter(Boolean);
  const rows = [];
  for (const uuid of uuids) {
    const st = (await sbx.virsh(['domstate', uuid])).trim();
    rows.push({ uuid, state: st === 'shut off' ? 'shutoff' : st });
  }
  return rows.sort((a, b) => a.uuid.localeCompare(b.uuid));
}

beforeAll(async () => {
  xmlDir = await mkdtemp(join(tmpdir(), 'kelpie-agent-xml-'));
  const [s] = await Promise.all([LibvirtSandbox.start(), buildAgent()]);
  sbx = s;
  engine = new FakeEngine(redisUrl, prefix, hostId);
  await engine.ready();
  // As enrollment gives it: the engine's command-signing key (the agent then runs signed jobs only).
  const credentials = join(xmlDir, 'credentials.json');
  await writeFile(
    credentials,
    JSON.stringify({
      hostId,
      redis: { url: redisUrl },
      commandKey: { publicKeyPem: engine.publicKeyPem },
      tls: { caCertPem: '', certPem: '', keyPem: '' },
    }),
    { mode: 0o600 },
  );
  agent = await AgentProcess.start(
    {
      KELPIE_CREDENTIALS_FILE: credentials,
      KELPIE_HOST_ID: hostId,
      KELPIE_REDIS_URL: redisUrl,
      KELPIE_REDIS_PREFIX: prefix,
      KELPIE_LIBVIRT_URI: sbx.uri,
      KELPIE_HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_MS),
      KELPIE_STATS_INTERVAL_MS: '2000',
      KELPIE_RECONCILE_INTERVAL_MS: '10000',
      KELPIE_RECONNECT_MAX_MS: '1000',
      KELPIE_COMMAND_CONCURRENCY: '8',
      KELPIE_VIRTUALIZATION: 'tcg',
      KELPIE_DEV_COMMANDS: 'on',
      KELPIE_LOG_LEVEL: 'debug',
    },
    join(ROOT, 'test-artifacts', 'agent', `${hostId}.log`),
  );
  await engine.waitFor('first inventory', () => engine.ofKind('inventory').length > 0, 30_000);
}, 180_000);

afterAll(async () => {
  if (latencies.length)
    console.log(`agent latencies: ${latencies.map((l) => `${l.what} ${l.ms} ms`).join(', ')}`);
  const stopped = await agent?.stop();
  await engine?.close();
  await sbx?.stop();
  await FakeEngine.wipe(redisUrl, prefix);
  if (xmlDir) await rm(xmlDir, { recursive: true, force: true });
  // Graceful shutdown is part of the contract: SIGTERM → exit 0 quickly.
  expect(stopped?.code).toBe(0);
}, 60_000);

describe('agent against a real libvirtd and Redis', () => {
  it('says hello with host capabilities and heartbeats with libvirt connected', async () => {
    // The first `virsh capabilities` of a fresh libvirtd probes QEMU (≈ 8 s without a cache).
    const hello = await engine.waitFor('hello', () => engine.ofKind('hello')[0], 30_000);
    expect(hello.data.capabilities).toMatchObject({
      virtualization: 'tcg',
      libvirtVersion: expect.stringMatching(/^\d+\./),
    });
    expect(hello.data.capabilities.cpu.count).toBeGreaterThan(0);
    const hb = await engine.waitFor(
      'heartbeat with libvirtConnected',
      () => engine.heartbeats.find((h) => h.data.libvirtConnected),
      10_000,
    );
    expect(hb.data).toMatchObject({
      hostId,
      kind: 'heartbeat',
      protocolVersion: 1,
      bootId: hello.data.bootId,
    });
  });

  it('a domain defined and started with raw virsh is reported as managed=false within 2 s; destroy → shutoff within 2 s', async () => {
    await virshDefine(tinyDomainXml('ext-raw'));
    const uuid = (await sbx.virsh(['domuuid', 'ext-raw'])).trim();
    const t0 = Date.now();
    await sbx.virsh(['start', 'ext-raw']);
    const started = await engine.waitFor(
      'domain-changed running',
      () =>
        engine
          .ofKind('domain-changed', t0)
          .find((r) => r.data.uuid === uuid && r.data.domain?.state === 'running'),
      // About events flowing, not their latency (measured by the tests above and benchmark 2).
      10_000,
    );
    expect(started.at - t0).toBeLessThan(2_000);
    expect(started.data.domain).toMatchObject({
      name: 'ext-raw',
      managed: false,
      persistent: true,
      vcpus: 1,
      memoryKiB: 65536,
    });
    expect(started.data.domain!.vncPort).toBeGreaterThanOrEqual(5900);
    // libvirt 9 sends `Resumed Unpaused` then `Started Booted` for a start; both are reported.
    const booted = await engine.waitFor(
      'Started Booted',
      () =>
        engine
          .ofKind('domain-changed', t0)
          .find((r) => r.data.uuid === uuid && r.data.detail === 'Started Booted'),
      2_000,
    );
    expect(booted.data.event).toBe('lifecycle');
    expect(Date.parse(booted.data.observedAt)).toBeGreaterThan(t0 - 1000);
    expect(Date.parse(booted.data.observedAt)).toBeLessThanOrEqual(booted.at);

    // `virsh destroy` of a TCG guest itself takes ≈ 2 s here (QEMU is SIGTERMed and waited for):
    // the latency is measured from libvirt's event and from the command's return.
    await sbx.virsh(['destroy', 'ext-raw']);
    const t1 = Date.now();
    const stopped = await engine.waitFor(
      'domain-changed shutoff',
      // libvirt sends `Shutdown Finished after host request` (reason still unknown) then `Stopped Destroyed`.
      () =>
        engine
          .ofKind('domain-changed', t0)
          .find(
            (r) =>
              r.data.uuid === uuid &&
              r.data.domain?.state === 'shutoff' &&
              r.data.detail === 'Stopped Destroyed',
          ),
      2_000,
    );
    expect(stopped.at - t1).toBeLessThan(2_000);
    expect(stopped.at - Date.parse(stopped.data.observedAt)).toBeLessThan(2_000);
    latencies.push(
      { what: 'start→running', ms: started.at - t0 },
      { what: 'destroy event→shutoff report', ms: stopped.at - Date.parse(stopped.data.observedAt) },
    );
    expect(stopped.data.domain).toMatchObject({ reason: 'destroyed' });
    expect(stopped.data.domain!.vncPort).toBeUndefined();

    const t2 = Date.now();
    await sbx.virsh(['undefine', 'ext-raw']);
    // (a t1-based lookup would miss reports sent while destroy ran)
    await engine.waitFor(
      'domain-changed gone',
      () => engine.ofKind('domain-changed', t2).find((r) => r.data.uuid === uuid && r.data.domain === null),
      2_000,
    );
  });

  it('runs lifecycle commands; a managed domain is reported managed=true', async () => {
    const uuid = '7a0c3e7e-5b7b-4c8e-9f11-0d6f1e2a3b4c';
    const defined = (await engine.run('vm.define', {
      xml: tinyDomainXml('kelpie-vm1', { managed: true, uuid }),
    })) as DomainSnapshot;
    expect(defined).toMatchObject({ uuid, state: 'shutoff', managed: true });
    expect(await engine.run('vm.start', { uuid })).toMatchObject({ state: 'running', managed: true });
    expect(await engine.run('vm.suspend', { uuid })).toMatchObject({ state: 'paused' });
    expect(await engine.run('vm.suspend', { uuid })).toMatchObject({ state: 'paused' }); // idempotent
    expect(await engine.run('vm.resume', { uuid })).toMatchObject({ state: 'running' });
    expect(await engine.run('vm.reset', { uuid })).toMatchObject({ state: 'running' });
    // A no-OS guest ignores ACPI: shutdown must time out, then force when asked to.
    expect(await engine.run('vm.shutdown', { uuid, timeoutMs: 1000, forceAfterTimeout: true })).toMatchObject(
      { state: 'shutoff' },
    );
    expect(await engine.run('vm.destroy', { uuid })).toMatchObject({ state: 'shutoff' }); // idempotent
    const err = await engine.run('vm.suspend', { uuid }).catch((e: Error) => e);
    expect(decodeAgentError((err as Error).message).code).toBe('operation_invalid');
    expect(await engine.run('vm.undefine', { uuid })).toEqual({ ok: true });
    expect(await engine.run('vm.undefine', { uuid })).toEqual({ ok: true }); // idempotent
    const missing = await engine.run('vm.start', { uuid }).catch((e: Error) => e);
    expect(decodeAgentError((missing as Error).message).code).toBe('domain_not_found');
  });

  it('refuses a job not signed by its engine (signature_invalid, once, logged) and runs nothing', async () => {
    await virshDefine(tinyDomainXml('unsigned', { vnc: false }));
    const uuid = (await sbx.virsh(['domuuid', 'unsigned'])).trim();
    const forged = await engine.sendUnsigned('vm.start', { uuid });
    const failed = await forged.waitUntilFinished(engine.commandEvents, 10_000).catch((e: Error) => e);
    expect(decodeAgentError((failed as Error).message).code).toBe('signature_invalid');
    expect((await engine.commands.getJob(forged.id!))?.attemptsMade).toBe(1);
    expect((await sbx.virsh(['domstate', 'unsigned'])).trim()).toBe('shut off');
    const refusals = async () =>
      (await readFile(agent.logFile, 'utf8'))
        .split('\n')
        .filter((l) => l.includes(forged.id!))
        .filter((l) => /command job refused/.test(l));
    for (let i = 0; i < 100 && (await refusals()).length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await refusals()).toHaveLength(1);
    // The same command, signed, runs.
    await engine.run('vm.start', { uuid });
    expect((await sbx.virsh(['domstate', 'unsigned'])).trim()).toBe('running');
    await sbx.virsh(['destroy', 'unsigned']);
    await sbx.virsh(['undefine', 'unsigned']);
  });

  it('rejects a wrong payload with invalid_payload and runs nothing', async () => {
    await virshDefine(tinyDomainXml('victim', { vnc: false }));
    const before = await libvirtView();
    const bad = await engine.send('vm.start', { uuid: 'victim' });
    const failed = await bad.waitUntilFinished(engine.commandEvents, 10_000).catch((e: Error) => e);
    expect(decodeAgentError((failed as Error).message)).toMatchObject({ code: 'invalid_payload' });
    const job = await engine.commands.getJob(bad.id!);
    expect(job?.attemptsMade).toBeLessThanOrEqual(1);
    expect(decodeAgentError(job?.failedReason).code).toBe('invalid_payload');

    const unknown = await engine.run('vm.teleport', {}).catch((e: Error) => e);
    expect(decodeAgentError((unknown as Error).message).code).toBe('unknown_command');
    const proto = await engine.run('host.sleep', { ms: 0 }, { protocolVersion: 99 }).catch((e: Error) => e);
    expect(decodeAgentError((proto as Error).message).code).toBe('incompatible_protocol');

    expect(await libvirtView()).toEqual(before);
    expect(before.find((d) => d.state === 'running')).toBeUndefined();
    await sbx.virsh(['undefine', 'victim']);
  });

  it('50 queued slow host.sleep commands do not delay heartbeats', async () => {
    const t0 = Date.now();
    const jobs = await Promise.all(Array.from({ length: 50 }, () => engine.send('host.sleep', { ms: 2000 })));
    await new Promise((r) => setTimeout(r, 8_000));
    const beats = engine.heartbeats.filter((h) => h.at >= t0 + HEARTBEAT_MS);
    const sent = beats.map((b) => Date.parse(b.data.sentAt));
    const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
    const counts = await engine.commands.getJobCounts('waiting', 'active', 'completed');
    // The backlog is real: commands are still waiting while heartbeats keep flowing.
    expect(counts.waiting + counts.active).toBeGreaterThan(0);
    expect(beats.length).toBeGreaterThanOrEqual(Math.floor(7_000 / HEARTBEAT_MS) - 2);
    expect(Math.max(...gaps)).toBeLessThan(2 * HEARTBEAT_MS);
    latencies.push({
      what: `max heartbeat gap under backlog (interval ${HEARTBEAT_MS})`,
      ms: Math.max(...gaps),
    });
    // Receive side too: the engine sees them on time.
    const recv = beats.map((b) => b.at);
    expect(Math.max(...recv.slice(1).map((t, i) => t - recv[i]!))).toBeLessThan(2 * HEARTBEAT_MS);
    await Promise.all(jobs.map((j) => j.waitUntilFinished(engine.commandEvents, 30_000)));
    expect(Date.now() - t0).toBeLessThan(2000 * Math.ceil(50 / 8) + 5000);
  }, 60_000);

  it('after a libvirtd restart the agent resubscribes and a fresh inventory equals libvirt', async () => {
    await virshDefine(tinyDomainXml('survivor', { vnc: false }));
    await virshDefine(tinyDomainXml('sleeper', { vnc: false }));
    await sbx.virsh(['start', 'survivor']);
    const t0 = Date.now();
    await sbx.restartLibvirtd();
    // The agent says hello again once its new event stream is up and it has relisted; an inventory
    // seen before that may come from a reconcile that ran while the old stream was still dying, and
    // an event fired then would be lost (CI of 967183f).
    await engine.waitFor(
      'hello after the event stream came back',
      () => engine.ofKind('hello', t0)[0],
      15_000,
    );
    const inv = await engine.waitFor(
      'inventory after restart',
      () => engine.ofKind('inventory', t0).findLast((r) => r.data.domains.length > 0),
      15_000,
    );
    const fromAgent = inv.data.domains
      .map((d) => ({ uuid: d.uuid, state: d.state }))
      .sort((a, b) => a.uuid.localeCompare(b.uuid));
    expect(fromAgent).toEqual(await libvirtView());
    // And events flow again on the new stream.
    const uuid = (await sbx.virsh(['domuuid', 'sleeper'])).trim();
    const t1 = Date.now();
    await sbx.virsh(['start', 'sleeper']);
    await engine.waitFor(
      'event after resubscribe',
      () =>
        engine
          .ofKind('domain-changed', t1)
          .find((r) => r.data.uuid === uuid && r.data.domain?.state === 'running'),
      // About events flowing, not their latency (measured by the tests above and benchmark 2).
      10_000,
    );
    // Heartbeats travel on their own stream: one sent after the event, not merely the last received.
    const seen = engine.heartbeats.length;
    const hb = await engine.waitFor(
      'a heartbeat sent after the restart',
      () => engine.heartbeats.slice(seen).at(-1),
      10_000,
    );
    expect(hb.data.libvirtConnected).toBe(true);
  }, 60_000);

  it('sends stats for the host and running domains', async () => {
    const t0 = Date.now();
    const st = await engine.waitFor(
      'stats with domains',
      () => engine.ofKind('stats', t0).find((r) => r.data.domains.length > 0),
      8_000,
    );
    expect(st.data.host.memTotalKiB).toBeGreaterThan(0);
    const running = (await sbx.virsh(['list', '--uuid'])).split('\n').filter(Boolean).sort();
    expect(st.data.domains.map((d) => d.uuid).sort()).toEqual(running);
    for (const d of st.data.domains) {
      expect(d.cpuTimeNs).toBeGreaterThan(0);
      expect(d.rssKiB).toBeGreaterThan(0);
    }
  });
});
