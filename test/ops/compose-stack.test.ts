/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { Lab, testGuest, virsh, type LabStatus } from '@kelpie/lab';
import type { Host, Task, Vm } from '@kelpie/shared-types';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openWs, rfbThroughProxy } from '../console/console-support';
import { addLabInfrastructure, eventually, type TestPlatform } from '../support/platform';
import { acceptedTask, finalTask } from '@kelpie/test-support';
import { ensureLocalImages, KELPIE_DOCKER_HOST } from '../support/kelpie-docker';

/**
 * The production compose stack (docker-compose.yml + deploy/compose.ha.yml: two engine replicas, Redis
 * with a replica and three sentinels, a Postgres hot standby) really runs: images built from this
 * checkout's Dockerfile on bases made from Debian packages (scripts/lib/docker.sh), started with
 * docker-compose against a Docker daemon of the suite's own, reached only through nginx over HTTPS.
 * Lab kcs1 (10.189.0.0/24): its two hosts are enrolled over SSH by the containerized engines, a VM goes
 * through create → start → live migration → console → delete; then an engine replica and the Redis
 * primary are killed while VMs start and migrate, and the standby is promoted by the documented steps.
 */
jest.setTimeout(1_500_000);

const execFileP = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');
const PROJECT = 'kcs1';
const PORTS = {
  https: 18443,
  http: 18080,
  redis: 16379,
  replica: 16380,
  sentinels: [16381, 16382, 16383],
  bmc: 16385,
};
const V1 = '/api/v1';

let lab: Lab;
let labStatus: LabStatus;
let dir: string;
let composeEnv: NodeJS.ProcessEnv;
let caPem: string;
let token = '';
const adminPassword = randomBytes(18).toString('base64url');

const COMPOSE_FILES = ['docker-compose.yml', 'deploy/compose.ha.yml'];
const compose = (...args: string[]) =>
  execFileP(
    'docker-compose',
    ['-p', PROJECT, ...COMPOSE_FILES.flatMap((f) => ['-f', join(dir, f)]), ...args],
    {
      env: composeEnv,
      maxBuffer: 64 << 20,
    },
  );
const docker = (...args: string[]) => execFileP('/usr/bin/docker', args, { env: composeEnv });
/** What the second test leaves for the fault test: the fleet it enrolled. */
const fleet = { clusterId: '', hostIds: {} as Record<string, string>, sdId: '', networkId: '' };

interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** One HTTPS request through nginx, trusting only the engine CA, for the name the portal uses. */
function https<T = any>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
  return new Promise<Answer<T>>((done, fail) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port: PORTS.https,
        servername: 'localhost',
        ca: caPem,
        method,
        path,
        headers: {
          host: `localhost:${PORTS.https}`,
          accept: 'application/json',
          ...(data ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...extra,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) headers.append(k, one);
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            // Not JSON (the portal's HTML): kept as text.
          }
          done({ status: res.statusCode ?? 0, headers, body: parsed as T });
        });
      },
    );
    req.on('error', fail);
    req.end(data);
  });
}

const api = <T = any>(method: string, path: string, body?: unknown) => https<T>(method, `${V1}${path}`, body);

async function ok<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await api<T>(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** 202 + a task, followed to its end. */
async function finished(method: string, path: string, body?: unknown): Promise<Task> {
  const task = acceptedTask(await api(method, path, body), `${method} ${path}`);
  return finalTask(https, task.id, 300_000);
}

/** Until every enrolled host of the fleet is up. */
const fleetUp = (what: string, timeoutMs: number) =>
  eventually(
    what,
    async () => {
      const hosts = await Promise.all(
        Object.values(fleet.hostIds).map((id) => ok<Host>('GET', `/hosts/${id}`)),
      );
      return hosts.every((h) => h.status === 'up');
    },
    timeoutMs,
    1000,
  );

/** Where libvirt runs the VM (domain name = VM id), per lab host. */
async function whereIs(name: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const h of labStatus.hosts) {
    const r = await virsh(h.uri, ['domstate', name]);
    if (r.code === 0) out[h.name] = r.stdout.trim();
  }
  return out;
}

beforeAll(async () => {
  // Images: bases from Debian packages (cached), the project's images from this checkout's build.
  await ensureLocalImages('build_stack_images');
  lab = new Lab({ name: PROJECT, subnet: 189 });
  labStatus = await lab.up(2, { fresh: true });

  dir = await mkdtemp(join(tmpdir(), 'kelpie-compose-'));
  await mkdir(join(dir, 'deploy', 'secrets'), { recursive: true });
  for (const f of [
    ...COMPOSE_FILES,
    'deploy/postgres-replication.sh',
    'deploy/postgres-standby.sh',
    'deploy/redis-sentinel.sh',
  ])
    await copyFile(join(ROOT, f), join(dir, f));
  // Read by the containers' own users (postgres, node) through compose's bind-mounted secrets.
  await writeFile(join(dir, 'deploy/secrets/postgres_password'), randomBytes(18).toString('base64url'), {
    mode: 0o644,
  });
  await writeFile(join(dir, 'deploy/secrets/admin_password'), adminPassword, { mode: 0o644 });
  composeEnv = {
    ...process.env,
    DOCKER_HOST: KELPIE_DOCKER_HOST,
    KELPIE_ENGINE_IMAGE: 'kelpie-local/engine:test',
    KELPIE_WEB_IMAGE: 'kelpie-local/web:test',
    KELPIE_POSTGRES_IMAGE: 'kelpie-local/postgres:15',
    KELPIE_REDIS_IMAGE: 'kelpie-local/redis:test',
    KELPIE_HTTPS_PORT: String(PORTS.https),
    KELPIE_HTTP_PORT: String(PORTS.http),
    KELPIE_REDIS_PORT: String(PORTS.redis),
    KELPIE_REDIS_REPLICA_PORT: String(PORTS.replica),
    KELPIE_SENTINEL_PORT_1: String(PORTS.sentinels[0]),
    KELPIE_SENTINEL_PORT_2: String(PORTS.sentinels[1]),
    KELPIE_SENTINEL_PORT_3: String(PORTS.sentinels[2]),
    // Engines (in containers) and agents (on the lab hosts) both reach the published ports here.
    KELPIE_REDIS_ANNOUNCE_IP: labStatus.bridgeIp,
    KELPIE_AGENT_REDIS_URL: `redis://${labStatus.bridgeIp}:${PORTS.redis}`,
    KELPIE_PORTAL_NAMES: 'localhost,127.0.0.1',
    KELPIE_BACKUP_DIR: join(dir, 'backups'),
  };
  // Written by the engine image's user (uid 1000), kept outside the stack's volumes.
  await mkdir(join(dir, 'backups'), { mode: 0o700 });
  await chown(join(dir, 'backups'), 1000, 1000);
  await compose('down', '-v', '--remove-orphans').catch(() => undefined);
  await compose('up', '-d', '--no-build', '--scale', 'engine=2');
  const pem = (
    await compose('exec', '-T', '--index=1', 'engine', 'cat', '/var/lib/kelpie-web-tls/portal.pem')
  ).stdout;
  // The file holds the portal certificate, then the engine CA, then the key: trust only the CA.
  caPem = pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)![1];
  await eventually(
    'the portal answering over HTTPS',
    async () => (await https('GET', '/')).status === 200,
    180_000,
    1000,
  );

  const login = await https(
    'POST',
    `${V1}/auth/login`,
    { username: 'admin', password: adminPassword },
    {
      origin: `https://localhost:${PORTS.https}`,
    },
  );
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie()[0].split(';')[0];
  const created = await https<{ token: string }>(
    'POST',
    `${V1}/auth/tokens`,
    { name: 'compose-test', scope: 'roles' },
    { cookie, origin: `https://localhost:${PORTS.https}` },
  );
  expect(created.status).toBe(201);
  token = created.body.token;
});

afterAll(async () => {
  if (dir) {
    await compose('down', '-v', '--remove-orphans').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
  await lab?.down().catch(() => undefined);
});

describe('the docker-compose stack', () => {
  it('runs every service healthy, only HTTPS with HSTS and a certificate from the engine CA', async () => {
    const { stdout } = await compose('ps', '-q');
    const ids = stdout.split('\n').filter(Boolean);
    // postgres + standby, redis + replica + 3 sentinels, 2 engines, web
    expect(ids).toHaveLength(10);
    // The loss-window bound reaches every Redis server (a promoted replica too); off unless asked for.
    for (const server of ['redis', 'redis-replica']) {
      const conf = (
        await compose('exec', '-T', server, 'redis-cli', 'config', 'get', 'min-replicas-*')
      ).stdout.split('\n');
      const settings = Object.fromEntries(conf.flatMap((l, i) => (i % 2 ? [] : [[l, conf[i + 1]]])));
      expect({ server, ...settings }).toMatchObject({
        server,
        'min-replicas-to-write': '0',
        'min-replicas-max-lag': '10',
      });
    }
    // Each service's own health check (the web server's probes HTTPS on itself every 5 s).
    await eventually(
      'every service healthy',
      async () => {
        const health = await execFileP(
          '/usr/bin/docker',
          ['inspect', '--format', '{{.State.Health.Status}}', ...ids],
          {
            env: composeEnv,
          },
        );
        return health.stdout
          .trim()
          .split('\n')
          .every((l) => l === 'healthy');
      },
      60_000,
      1000,
    );

    const portal = await https('GET', '/');
    expect(portal.status).toBe(200);
    expect(String(portal.body)).toContain('<div id="root">');
    expect(portal.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    const health2 = await api('GET', '/health');
    expect(health2.body.status).toBe('ok');

    const plain = await new Promise<{ status: number; location?: string }>((done, fail) =>
      httpRequest(
        { host: '127.0.0.1', port: PORTS.http, path: '/vms?x=1', headers: { host: 'localhost' } },
        (res) => done({ status: res.statusCode ?? 0, location: res.headers.location }),
      )
        .on('error', fail)
        .end(),
    );
    expect(plain).toEqual({ status: 301, location: `https://localhost:${PORTS.https}/vms?x=1` });
    // A client that does not trust the engine CA is refused the TLS handshake.
    await expect(
      new Promise((done, fail) =>
        request({ host: '127.0.0.1', port: PORTS.https, servername: 'localhost', path: '/' }, done)
          .on('error', fail)
          .end(),
      ),
    ).rejects.toThrow(/self.signed|unable to (get|verify)/i);
  });

  it('enrolls the lab hosts over SSH, then a VM is created, started, live-migrated, seen on its console and deleted', async () => {
    const dc = await ok('POST', '/datacenters', { name: 'dc-kcs1' });
    const cluster = await ok('POST', '/clusters', { name: 'main', datacenterId: dc.id });
    const access = await lab.sshAccess();
    const hostIds: Record<string, string> = {};
    for (const h of labStatus.hosts) {
      const body = { name: `kcs-${h.name}`, clusterId: cluster.id, address: h.ip, password: access.password };
      const unconfirmed = await api('POST', '/hosts', body);
      expect(unconfirmed.status).toBe(409);
      const fingerprint = unconfirmed.body.details[0].reason as string;
      expect(fingerprint).toBe(await lab.hostKeyFingerprint(h.name));
      const t = await finished('POST', '/hosts', { ...body, expectedHostKeyFingerprint: fingerprint });
      expect({ host: h.name, error: t.errorMessage }).toEqual({ host: h.name, error: null });
      hostIds[h.name] = t.target!.id;
      expect((await ok<Host>('GET', `/hosts/${hostIds[h.name]}`)).status).toBe('up');
    }

    const p = {
      engine: { api: (m: string, path: string, b?: unknown) => https(m, path, b) },
      datacenterId: dc.id,
      clusterId: cluster.id,
      labStatus,
    } as unknown as TestPlatform;
    const { sdId, networkId } = await addLabInfrastructure(p);
    Object.assign(fleet, { clusterId: cluster.id, hostIds, sdId, networkId });
    const guest = await testGuest();
    const created = await finished('POST', '/vms', {
      name: 'kcs-vm',
      clusterId: cluster.id,
      hostId: hostIds.h1,
      memoryMib: 128,
      disks: [{ sizeGiB: 1, storageDomainId: sdId }],
      nics: [{ networkId }],
      boot: { kind: 'kernel', kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0' },
      graphicsVnc: true,
    });
    expect(created.errorMessage).toBeNull();
    const vm = await ok<Vm>('GET', `/vms/${created.target!.id}`);
    expect((await finished('POST', `/vms/${vm.id}/start`)).errorMessage).toBeNull();
    expect(await whereIs(vm.id)).toEqual({ h1: 'running' });

    const moved = await finished('POST', `/vms/${vm.id}/migrate`, { targetHostId: hostIds.h2 });
    expect(moved.errorMessage).toBeNull();
    expect(await whereIs(vm.id)).toEqual({ h2: 'running' });

    // The console WebSocket through nginx (wss), proxied by the engine to QEMU's VNC server on h2.
    const ticket = await api('POST', `/vms/${vm.id}/console`);
    expect(ticket.status).toBe(201);
    const ws = await openWs(
      `wss://localhost:${PORTS.https}${ticket.body.wsPath}`,
      { authorization: `Bearer ${token}` },
      {
        ca: caPem,
        host: '127.0.0.1',
      },
    );
    expect(ws.status).toBeUndefined();
    const fb = await rfbThroughProxy(ws.ws!, ws.stream!);
    expect(fb.width).toBeGreaterThan(0);

    expect((await finished('POST', `/vms/${vm.id}/poweroff`)).errorMessage).toBeNull();
    await eventually(
      'the VM down',
      async () => (await ok<Vm>('GET', `/vms/${vm.id}`)).status === 'down',
      30_000,
    );
    const del = await api('DELETE', `/vms/${vm.id}?withDisks=true`);
    expect({ status: del.status, body: del.body }).toEqual({ status: expect.any(Number), body: del.body });
    expect([200, 202, 204]).toContain(del.status);
    if (del.status === 202)
      expect((await finalTask(https, acceptedTask(del, 'DELETE vm').id)).errorMessage).toBeNull();
    await eventually(
      'the VM undefined on every host',
      async () => Object.keys(await whereIs(vm.id)).length === 0,
      60_000,
    );
  });
  it('keeps working through the loss of an engine replica, then of the Redis primary, while VMs start and migrate', async () => {
    const guest = await testGuest();
    const newVm = async (name: string) => {
      const t = await finished('POST', '/vms', {
        name,
        clusterId: fleet.clusterId,
        hostId: fleet.hostIds.h1,
        memoryMib: 128,
        disks: [{ sizeGiB: 1, storageDomainId: fleet.sdId }],
        nics: [{ networkId: fleet.networkId }],
        boot: { kind: 'kernel', kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0' },
      });
      expect(t.errorMessage).toBeNull();
      return t.target!.id;
    };
    const a = await newVm('kcs-fault-a');
    const b = await newVm('kcs-fault-b');
    expect((await finished('POST', `/vms/${b}/start`)).errorMessage).toBeNull();

    // The API through nginx, sampled all along: the longest time between two answers from an engine
    // (a failed or a slow request both stretch it).
    const outage = { longestMs: 0, samples: 0, failures: 0, stop: false };
    const sampler = (async () => {
      let lastAnswer = Date.now();
      while (!outage.stop) {
        const up = await api('GET', '/vms?limit=1').then(
          (r) => r.status === 200,
          () => false,
        );
        outage.samples++;
        if (up) {
          outage.longestMs = Math.max(outage.longestMs, Date.now() - lastAnswer);
          lastAnswer = Date.now();
        } else outage.failures++;
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    // 1. An engine replica dies (SIGKILL) while a start it accepted is under way.
    const engines = (await compose('ps', '-q', 'engine')).stdout.split('\n').filter(Boolean);
    expect(engines).toHaveLength(2);
    const started = acceptedTask(await api('POST', `/vms/${a}/start`), 'POST start');
    // Killed once the start is on its way to the host (progress 30: "sending start"), so a surviving
    // replica adopts it and asks libvirt how it ended.
    await eventually(
      'the start being sent',
      async () => (await ok<Task>('GET', `/tasks/${started.id}`)).progress >= 30,
      60_000,
      100,
    );
    await docker('kill', engines[0]);
    const startFinal = await finalTask(https, started.id, 180_000);
    console.log(
      `compose faults: start adopted after its engine died: ${startFinal.status} ${startFinal.errorMessage ?? ''}`,
    );
    if (startFinal.status === 'interrupted') {
      // Killed in the instant before the task recorded its first step: nothing reached the host, and
      // the task says so; the VM is still off and a retry starts it.
      expect(await whereIs(a)).toEqual({ h1: 'shut off' });
      expect(startFinal.errorMessage).toMatch(/retry/);
      expect((await finished('POST', `/vms/${a}/start`)).errorMessage).toBeNull();
    } else
      expect({ status: startFinal.status, error: startFinal.errorMessage }).toEqual({
        status: 'succeeded',
        error: null,
      });
    expect(await whereIs(a)).toEqual({ h1: 'running' });

    // 2. The Redis primary dies (SIGKILL) while a live migration runs: the sentinels promote the replica.
    const redisPrimary = (await compose('ps', '-q', 'redis')).stdout.trim();
    const moving = acceptedTask(
      await api('POST', `/vms/${b}/migrate`, { targetHostId: fleet.hostIds.h2 }),
      'migrate',
    );
    await docker('kill', redisPrimary);
    const moveFinal = await finalTask(https, moving.id, 240_000);
    // Its true state, whichever it is: succeeded → on h2 only; failed → still on h1 only.
    const expected = moveFinal.status === 'succeeded' ? { h2: 'running' } : { h1: 'running' };
    console.log(
      `compose faults: migration during the Redis failover ${moveFinal.status}: ${moveFinal.errorMessage ?? 'no error'}`,
    );
    expect(['succeeded', 'failed']).toContain(moveFinal.status);
    await eventually(
      'the VM where its migration task says',
      async () => JSON.stringify(await whereIs(b)) === JSON.stringify(expected),
      30_000,
    );
    const primaryNow = await compose(
      'exec',
      '-T',
      'sentinel-1',
      'redis-cli',
      '-p',
      '26379',
      'sentinel',
      'get-master-addr-by-name',
      'kelpie',
    );
    expect(
      primaryNow.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ).toEqual([labStatus.bridgeIp, String(PORTS.replica)]);

    // Agents followed the failover with their own ACL users (re-applied by the engines on the new
    // primary): both hosts up, and commands reach them — power the VMs off through the new primary.
    await fleetUp('both hosts up after the failover', 90_000);
    for (const id of [a, b]) expect((await finished('POST', `/vms/${id}/poweroff`)).errorMessage).toBeNull();
    await eventually(
      'both VMs off in libvirt',
      async () => {
        const states = [...Object.values(await whereIs(a)), ...Object.values(await whereIs(b))];
        return states.every((st) => st === 'shut off');
      },
      60_000,
    );

    outage.stop = true;
    await sampler;
    console.log(
      `compose faults: ${outage.samples} API samples (${outage.failures} failed), longest time between answers ${outage.longestMs} ms`,
    );
    // A bounded pause, not a speed figure: nginx moves to the other replica at once and a Redis
    // failover is 3 s of silence plus the sentinels' vote.
    expect(outage.longestMs).toBeLessThan(30_000);

    // No command lost or run twice: one start and one migration task each, every task of the run final.
    const tasksOf = async (type: string, id: string) =>
      (await ok<{ items: Task[] }>('GET', `/tasks?type=${type}&objectId=${id}`)).items;
    expect((await tasksOf('vm.start', a)).map((t) => t.status).sort()).toEqual(
      startFinal.status === 'interrupted' ? ['interrupted', 'succeeded'] : ['succeeded'],
    );
    expect((await tasksOf('vm.migrate', b)).map((t) => t.status)).toEqual([moveFinal.status]);
    for (const id of [a, b]) {
      const all = (await ok<{ items: Task[] }>('GET', `/tasks?objectId=${id}`)).items;
      expect(
        all.filter((t) => !['succeeded', 'failed', 'cancelled', 'interrupted'].includes(t.status)),
      ).toEqual([]);
    }
  });

  it('promotes the Postgres standby by the documented steps, and the engines carry on with it', async () => {
    const psql = (service: string, sql: string) =>
      compose('exec', '-T', service, 'psql', '-U', 'kelpie', '-d', 'kelpie', '-Atc', sql).then((r) =>
        r.stdout.trim(),
      );
    expect(await psql('postgres', 'select state from pg_stat_replication')).toBe('streaming');
    const vmCount = await psql('postgres', 'select count(*) from vm');
    await eventually(
      'the standby replayed the inventory',
      async () => (await psql('postgres-standby', 'select count(*) from vm')) === vmCount,
      30_000,
    );
    expect(await psql('postgres-standby', 'select pg_is_in_recovery()')).toBe('t');

    // docs/deployment.md, "Losing a part": stop the primary, promote the standby, point the engines at it.
    await compose('stop', 'postgres');
    await compose(
      'exec',
      '-T',
      'postgres-standby',
      'pg_ctl',
      'promote',
      '-w',
      '-D',
      '/var/lib/postgresql/data',
    );
    expect(await psql('postgres-standby', 'select pg_is_in_recovery()')).toBe('f');
    composeEnv.KELPIE_DATABASE_HOST = 'postgres-standby';
    await compose('up', '-d', '--no-deps', '--scale', 'engine=2', 'engine');
    await eventually(
      'the API answering from the promoted database',
      async () => (await api('GET', '/vms?limit=100')).status === 200,
      120_000,
      1000,
    );
    const names = (await ok<{ items: Vm[] }>('GET', '/vms?limit=100')).items.map((v) => v.name).sort();
    expect(names).toEqual(['kcs-fault-a', 'kcs-fault-b']);
    // And it writes there: a new data center lands in the promoted database.
    await ok('POST', '/datacenters', { name: 'after-promotion' });
    expect(
      await psql('postgres-standby', "select count(*) from datacenter where name = 'after-promotion'"),
    ).toBe('1');
  });

  it('is backed up by `kelpie backup`, destroyed with its volumes and restored into a new stack: inventory, keys and sealed secrets', async () => {
    const began = Date.now();
    // A sealed secret in the inventory: h1's BMC password (no BMC answers at that address).
    const bmcPassword = `bmc-${randomBytes(6).toString('hex')}`;
    const pm = `/hosts/${fleet.hostIds.h1}/power-management`;
    await ok('PUT', pm, {
      type: 'ipmilan',
      address: labStatus.bridgeIp,
      port: PORTS.bmc,
      username: 'kelpie',
      password: bmcPassword,
    });
    const sealedIn = async (service: string) =>
      (
        await compose(
          'exec',
          '-T',
          service,
          'psql',
          '-U',
          'kelpie',
          '-d',
          'kelpie',
          '-Atc',
          `select password_sealed from host_power_management where host_id = '${fleet.hostIds.h1}'`,
        )
      ).stdout.trim();
    // The database the engines use since the previous case promoted the standby.
    const sealedBefore = await sealedIn('postgres-standby');
    expect(sealedBefore).toMatch(/^v1:/);
    expect(sealedBefore).not.toContain(bmcPassword);
    const vmNames = async () =>
      (await ok<{ items: Vm[] }>('GET', '/vms?limit=100')).items.map((v) => `${v.name}:${v.id}`).sort();
    const before = await vmNames();
    expect(before).toHaveLength(2);

    // Online, from a running engine, into the host directory mounted at /var/backups/kelpie.
    const backup = await compose(
      'exec',
      '-T',
      '--index=1',
      'engine',
      'node',
      'dist/tools/kelpie.js',
      'backup',
      '--out',
      '/var/backups/kelpie/nightly',
    );
    expect(backup.stdout).toMatch(/backup written to \/var\/backups\/kelpie\/nightly/);
    const manifest = JSON.parse(await readFile(join(dir, 'backups/nightly/manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { name: string }) => f.name)).toContain('database.dump');

    // The disaster: every container and volume (database, Redis, engine keys, portal certificate) gone.
    await compose('down', '-v', '-t', '3', '--remove-orphans');
    const volumes = await docker(
      'volume',
      'ls',
      '-q',
      '--filter',
      `label=com.docker.compose.project=${PROJECT}`,
    );
    expect(volumes.stdout.trim()).toBe('');

    // docs/deployment.md, "Restoring a compose stack": an empty Postgres, the restore, then the rest.
    delete composeEnv.KELPIE_DATABASE_HOST;
    await compose('up', '-d', 'postgres');
    await eventually(
      'the new Postgres accepting connections',
      () =>
        compose('exec', '-T', 'postgres', 'pg_isready', '-h', '127.0.0.1', '-U', 'kelpie').then(
          () => true,
          () => false,
        ),
      60_000,
      500,
    );
    const restore = await compose(
      'run',
      '--rm',
      '--no-deps',
      '-T',
      'engine',
      'node',
      'dist/tools/kelpie.js',
      'restore',
      '--from',
      '/var/backups/kelpie/nightly',
    );
    expect(restore.stdout).toMatch(/restored the backup of /);
    await compose('up', '-d', '--no-build', '--scale', 'engine=2');

    // The restored CA issued the new portal certificate (the test still trusts only the old CA), and
    // the API token made before the backup is still valid.
    await eventually(
      'the restored portal answering over HTTPS',
      () =>
        api('GET', '/vms?limit=1').then(
          (r) => r.status === 200,
          () => false,
        ),
      180_000,
      1000,
    );
    expect(await vmNames()).toEqual(before);
    // The BMC password comes back sealed as it was, with the secret key that sealed it: the engine
    // opens it and asks the BMC (a 422 naming the address: no BMC there; a key that does not open
    // it would be a 500).
    expect(await sealedIn('postgres')).toBe(sealedBefore);
    expect(
      (await compose('exec', '-T', '--index=1', 'engine', 'cat', '/var/lib/kelpie-engine/secret-key')).stdout,
    ).toBe(await readFile(join(dir, 'backups/nightly/keys/secret-key'), 'utf8'));
    const tested = await api('POST', `${pm}/test`);
    expect({ status: tested.status, field: tested.body?.details?.[0]?.field }).toEqual({
      status: 422,
      field: 'address',
    });

    // The hosts' agents find the new Redis through the sentinels and obey the restored signing key.
    await fleetUp('both hosts up with the restored engine', 120_000);
    // A VM of the backup powered on or off (whichever it is now) on h1 through the restored engine.
    const vmA = before.find((n) => n.startsWith('kcs-fault-a:'))!.split(':')[1];
    const wasRunning = (await whereIs(vmA)).h1 === 'running';
    expect(
      (await finished('POST', `/vms/${vmA}/${wasRunning ? 'poweroff' : 'start'}`)).errorMessage,
    ).toBeNull();
    await eventually(
      'the VM switched on its host',
      async () => (await whereIs(vmA)).h1 === (wasRunning ? 'shut off' : 'running'),
      30_000,
    );
    console.log(`compose backup and restore: ${Date.now() - began} ms`);
  });
});
