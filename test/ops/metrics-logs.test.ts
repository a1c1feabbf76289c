import { Lab, testGuest, virshOrThrow } from '@kelpie/lab';
import { commandQueueName, HostStatus, type ConsoleTicket, type Host } from '@kelpie/shared-types';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestUser, login } from '../support/auth';
import { request } from '../support/engine';
import { EngineProcess, startEngineProcess } from '../support/engine-process';
import { AGENT_ENTRY, eventually, TestPlatform } from '../support/platform';
import { createTestDatabase, TestDatabase, testRedisPrefix } from '../support/services';
import { adminToken } from '../support/auth';
import { openWs } from '../console/console-support';
import { run202 } from '../vm/support-ks';

/**
 * What the person on call reads: the engine's and the agent's Prometheus endpoints, scraped after real
 * operations, and the logs of the whole run, searched for every secret the run used. The engine runs
 * as its own process so its log is the file an operator would read.
 */
const LAB = 'kqo1';
const METRICS_TOKEN = randomBytes(32).toString('base64url');
const AGENT_METRICS_TOKEN = randomBytes(24).toString('base64url');
const AGENT_PORT = 9464;

let lab: Lab;
let db: TestDatabase;
let engine: EngineProcess;
let p: TestPlatform;
let hostIp: string;
let agentLog: string;
let redisPrefix: string;

/** The value of the series `name` carrying every label given (prom-client orders labels itself). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const line = text
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
        Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const scrape = async (token: string | null) => {
  const res = await fetch(`${engine.baseUrl}/api/v1/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, text: await res.text() };
};

const scrapeAgent = async (token: string | null) => {
  const res = await fetch(`http://${hostIp}:${AGENT_PORT}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, text: await res.text() };
};

beforeAll(async () => {
  lab = new Lab({ name: LAB, subnet: 140 });
  const labStatus = await lab.up(1, { fresh: true });
  hostIp = labStatus.hosts[0]!.ip;
  db = await createTestDatabase();
  redisPrefix = testRedisPrefix();
  engine = await startEngineProcess({
    db,
    redisPrefix,
    logFile: join(lab.host('h1').dir, 'engine.log'),
    // Debug: the most the engine ever writes, so the secrets search covers every line it can log.
    env: { KELPIE_METRICS_TOKEN: METRICS_TOKEN, KELPIE_LOG_LEVEL: 'debug' },
  });
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    request(engine.baseUrl, method, path, body, headers);
  const ok = async (path: string, body: unknown) => {
    const res = await api('POST', path, body);
    if (res.status >= 300) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const dc = await ok('/api/v1/datacenters', { name: `dc-${LAB}` });
  const cluster = await ok('/api/v1/clusters', { name: 'main', datacenterId: dc.id });
  const h = labStatus.hosts[0]!;
  const host = (await ok('/api/v1/hosts', {
    name: `${LAB}-h1`,
    clusterId: cluster.id,
    address: h.ip,
    libvirtUri: h.uri,
  })) as Host;
  agentLog = join(lab.host('h1').dir, 'agent.log');
  await lab.spawnInHost('h1', [process.execPath, AGENT_ENTRY], {
    role: 'agent',
    logFile: agentLog,
    env: {
      KELPIE_HOST_ID: host.id,
      KELPIE_REDIS_URL: `redis://${labStatus.bridgeIp}:6379`,
      KELPIE_REDIS_PREFIX: redisPrefix,
      KELPIE_LIBVIRT_URI: 'qemu:///system',
      KELPIE_HEARTBEAT_INTERVAL_MS: '1000',
      KELPIE_STATS_INTERVAL_MS: '1000',
      KELPIE_VIRTUALIZATION: 'tcg',
      KELPIE_STATE_DIR: join(lab.host('h1').dir, 'agent-state'),
      KELPIE_LOG_LEVEL: 'debug',
      // The lab host's own address stands for a management network here.
      KELPIE_METRICS_LISTEN: `${h.ip}:${AGENT_PORT}`,
      KELPIE_METRICS_TOKEN: AGENT_METRICS_TOKEN,
    },
  });
  p = {
    lab,
    labStatus,
    engine: { api, baseUrl: engine.baseUrl } as never,
    datacenterId: dc.id,
    clusterId: cluster.id,
    hosts: { h1: host },
    startAgent: async () => undefined,
    close: async () => undefined,
  };
  await eventually(
    'h1 up',
    async () => (await api('GET', `/api/v1/hosts/${host.id}`)).body.status === HostStatus.Up,
    60_000,
    200,
  );
}, 180_000);

afterAll(async () => {
  await lab?.stopAgent('h1').catch(() => undefined);
  await engine?.stop().catch(() => undefined);
  await db?.drop().catch(() => undefined);
  await lab?.down().catch(() => undefined);
});

describe('metrics and logs of a real run (lab kqo1)', () => {
  const secrets: Record<string, string> = {};
  let vmId: string;

  it('the engine endpoint refuses anonymous and API-less callers and moves with real operations', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape('not-the-token-but-long-enough-to-look-like-one')).status).toBe(401);
    const before = await scrape(METRICS_TOKEN);
    expect(before.status).toBe(200);
    const startsBefore = sample(before.text, 'kelpie_tasks_finished_total', {
      type: 'vm.start',
      outcome: 'succeeded',
    });

    // The smallest VM that really runs: no disk, no NIC, the lab's guest kernel.
    const guest = await testGuest();
    const boot = { kind: 'kernel', kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0' };
    const created = await run202(p, 'POST', '/api/v1/vms', {
      name: `${LAB}-vm`,
      clusterId: p.clusterId,
      hostId: p.hosts.h1!.id,
      vcpus: 1,
      memoryMib: 96,
      boot,
    });
    vmId = created.target!.id;
    await run202(p, 'POST', `/api/v1/vms/${vmId}/start`);

    const uri = p.labStatus.hosts[0]!.uri;
    const nodeMemKiB = Number(/Memory size:\s+(\d+) KiB/.exec(await virshOrThrow(uri, ['nodeinfo']))![1]);
    const after = await eventually(
      'the host gauges of a fresh sample',
      async () => {
        const s = await scrape(METRICS_TOKEN);
        const labels = { host: `${LAB}-h1`, host_id: p.hosts.h1!.id };
        return sample(s.text, 'kelpie_host_memory_total_bytes', labels) !== undefined &&
          sample(s.text, 'kelpie_host_vms', { ...labels, status: 'up' }) === 1
          ? s.text
          : undefined;
      },
      30_000,
      500,
    );
    expect(sample(after, 'kelpie_tasks_finished_total', { type: 'vm.start', outcome: 'succeeded' })).toBe(
      (startsBefore ?? 0) + 1,
    );
    expect(sample(after, 'kelpie_task_duration_seconds_count', { type: 'vm.start' })).toBeGreaterThan(0);
    const labels = { host: `${LAB}-h1`, host_id: p.hosts.h1!.id };
    expect(sample(after, 'kelpie_host_status', { ...labels, status: 'up' })).toBe(1);
    // /proc/meminfo (the agent's sample) and libvirt's nodeinfo both read the host's MemTotal.
    expect(sample(after, 'kelpie_host_memory_total_bytes', labels)).toBe(nodeMemKiB * 1024);
    const running = (await virshOrThrow(uri, ['list', '--uuid', '--state-running'])).trim().split('\n');
    expect(running).toContain(vmId);
    expect(sample(after, 'kelpie_host_heartbeat_age_seconds', labels)).toBeLessThan(15);
    expect(sample(after, 'kelpie_host_command_queue_jobs', { ...labels, state: 'waiting' })).toBe(0);
    expect(sample(after, 'kelpie_agent_reports_total', { kind: 'stats' })).toBeGreaterThan(0);
    expect(
      sample(after, 'kelpie_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/vms/:id/start',
        status: '202',
      }),
    ).toBe(1);
    expect(after).not.toContain(`route="/api/v1/vms/${vmId}`);
  }, 150_000);

  it('a host whose agent takes no commands shows its queue depth and how long the oldest waits', async () => {
    const idle = (
      await p.engine.api('POST', '/api/v1/hosts', {
        name: `${LAB}-idle`,
        clusterId: p.clusterId,
        address: '192.0.2.10',
        libvirtUri: 'qemu+tcp://192.0.2.10/system',
      })
    ).body as Host;
    const queue = new Queue(commandQueueName(idle.id), {
      connection: { url: process.env.KELPIE_TEST_REDIS_URL },
      prefix: redisPrefix,
    });
    try {
      // Queued 30 s ago as far as BullMQ's own timestamp says: nobody consumes this queue.
      await queue.add('host.refresh', {}, { timestamp: Date.now() - 30_000 });
      await queue.add('host.refresh', {});
      const { text } = await scrape(METRICS_TOKEN);
      const labels = { host: `${LAB}-idle`, host_id: idle.id };
      expect(sample(text, 'kelpie_host_command_queue_jobs', { ...labels, state: 'waiting' })).toBe(2);
      expect(sample(text, 'kelpie_host_command_queue_lag_seconds', labels)).toBeGreaterThanOrEqual(30);
      expect(sample(text, 'kelpie_host_heartbeat_age_seconds', labels)).toBeUndefined();
    } finally {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  });

  it('an API token holding metrics.read scrapes too; one without it is refused', async () => {
    const admin = { baseUrl: engine.baseUrl, api: p.engine.api };
    const monitor = await createTestUser(admin, 'prom', { grants: [{ role: 'Monitoring' }] });
    const reader = await createTestUser(admin, 'ro', { grants: [{ role: 'ReadOnly' }] });
    expect((await scrape(monitor.token)).status).toBe(200);
    expect((await scrape(reader.token)).status).toBe(403);
    secrets['user password'] = monitor.password;
    secrets['user token'] = monitor.token;
    secrets['second user password'] = reader.password;
    // A cookie session: the password goes through the login route.
    await login(engine.baseUrl, reader.username, reader.password);
  });

  it('the agent answers on its management address only with its token', async () => {
    expect((await scrapeAgent(null)).status).toBe(401);
    const { status, text } = await scrapeAgent(AGENT_METRICS_TOKEN);
    expect(status).toBe(200);
    const uri = p.labStatus.hosts[0]!.uri;
    const running = (await virshOrThrow(uri, ['list', '--name', '--state-running'])).trim().split('\n');
    expect(sample(text, 'kelpie_agent_domains', { state: 'running' })).toBe(running.filter(Boolean).length);
    expect(
      sample(text, 'kelpie_agent_command_duration_seconds_count', { command: 'vm.start', outcome: 'ok' }),
    ).toBe(1);
    expect(
      sample(text, 'kelpie_agent_virsh_call_duration_seconds_count', { op: 'start', outcome: 'ok' }),
    ).toBe(1);
    expect(sample(text, 'kelpie_agent_libvirt_connected')).toBe(1);
    // Not on loopback of the root namespace: only the configured address listens.
    await expect(fetch(`http://127.0.0.1:${AGENT_PORT}/metrics`)).rejects.toThrow();
  });

  it('a console session is counted; its ticket and the one-time VNC password it set appear in no log', async () => {
    const res = await p.engine.api('POST', `/api/v1/vms/${vmId}/console`);
    expect(res.status).toBe(201);
    const ticket = res.body as ConsoleTicket;
    secrets['console ticket'] = ticket.ticket;
    const xml = await virshOrThrow(p.labStatus.hosts[0]!.uri, ['dumpxml', '--security-info', vmId]);
    const vnc = /<graphics[^>]*type=['"]vnc['"][^>]*passwd=['"]([^'"]+)['"]/.exec(xml);
    expect(vnc).not.toBeNull();
    secrets['VNC password'] = vnc![1]!;
    // Used, as a browser would: the WebSocket carries the ticket in its query string.
    const ws = await openWs(engine.baseUrl.replace(/^http/, 'ws') + ticket.wsPath);
    expect(ws.ws).toBeDefined();
    expect(sample((await scrape(METRICS_TOKEN)).text, 'kelpie_console_sessions')).toBe(1);
    ws.ws!.close();
  });

  it('no log of the run holds a secret it used; request lines carry the correlation id', async () => {
    secrets['bootstrap token'] = adminToken();
    secrets['metrics token'] = METRICS_TOKEN;
    secrets['agent metrics token'] = AGENT_METRICS_TOKEN;
    // A refused request with a correlation id of ours: one info line, with the id, without a stack.
    const corr = `ops-${randomBytes(6).toString('hex')}`;
    const missing = await request(
      engine.baseUrl,
      'GET',
      `/api/v1/vms/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
      undefined,
      {
        'x-correlation-id': corr,
      },
    );
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-correlation-id')).toBe(corr);
    const engineLog = await eventually(
      'the 404 logged',
      async () => {
        const text = await readFile(engine.logFile, 'utf8');
        return text.includes(corr) ? text : undefined;
      },
      10_000,
      200,
    );
    const agent = await readFile(agentLog, 'utf8');
    const lines = engineLog.split('\n').filter((l) => l.includes(corr));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, correlationId: corr });
    expect(String(line.msg)).toContain('-> 404 not_found');
    const found = Object.entries(secrets).flatMap(([what, value]) =>
      [
        ['engine', engineLog],
        ['agent', agent],
      ]
        .filter(([, text]) => text!.includes(value))
        .map(([where]) => `${what} in the ${where} log`),
    );
    expect(Object.keys(secrets).length).toBeGreaterThanOrEqual(8);
    expect(found).toEqual([]);
  });
});
