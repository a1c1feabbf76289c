import { Lab, writePlaceholderTls } from '@kelpie/lab';
import { agentRedisUser, AgentCredentials } from '@kelpie/shared-types';
import Redis from 'ioredis';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEngineProcess } from '../support/engine-process';
import { eventually } from '../support/platform';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '../support/services';
import { MigrationKit } from '../migration/migration-kit';
import {
  agentPids,
  renewerPids,
  api,
  enrolledPlatform,
  enrollWorld,
  filesIn,
  finished,
  hostOf,
  ok,
  pgDump,
  stepOf,
  type EnrollWorld,
} from './enroll-kit';

/** Hosts join over real SSH: each lab host (kqg1, 10.125.0.0/24) runs its own sshd; the engine is a
 * real process whose log file is searched for the credentials at the end. One lab, shared by every
 * case, in order: refusals first, then two enrollments, a migration, an upgrade, a removal. */
jest.setTimeout(300_000);

const execFileP = promisify(execFile);
const BAD_PASSWORD = 'not-the-root-password-Zq81';
let w: EnrollWorld;
let db: TestDatabase;
let logFile: string;
let kit: MigrationKit | undefined;
const ids: Record<string, string> = {};
const redisPrefix = testRedisPrefix();
/** What Prometheus would be given to scrape the enrolled agents (KELPIE_AGENT_METRICS_*). */
const AGENT_METRICS_TOKEN = randomBytes(24).toString('base64url');
/** The agent's credentials as enrollment wrote them on the host. */
const credentialsOf = async (labHost: string) =>
  AgentCredentials.parse(
    JSON.parse(await readFile(join(w.lab.host(labHost).dir, 'etc-kelpie', 'credentials.json'), 'utf8')),
  );
const aclUser = async (user: string) => {
  const redis = new Redis(process.env.KELPIE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    return await redis.call('ACL', 'GETUSER', user);
  } finally {
    redis.disconnect();
  }
};

const enrollBody = (labHost: string, extra: Record<string, unknown>) => ({
  name: `kqg-${labHost}`,
  clusterId: w.clusterId,
  address: w.lab.host(labHost).ip,
  ...extra,
});

beforeAll(async () => {
  const lab = new Lab({ name: 'kqg1', subnet: 125 });
  const labStatus = await lab.up(2, { fresh: true });
  db = await createTestDatabase();
  logFile = join(lab.config.stateDir, 'engine.log');
  const metricsTokenFile = join(lab.config.stateDir, 'agent-metrics-token');
  await writeFile(metricsTokenFile, AGENT_METRICS_TOKEN, { mode: 0o600 });
  const engine = await startEngineProcess({
    db,
    redisPrefix,
    logFile,
    env: {
      // Everything the engine would ever log, so the search for the credentials means something.
      KELPIE_LOG_LEVEL: 'trace',
      KELPIE_AGENT_REDIS_URL: `redis://${labStatus.bridgeIp}:6379`,
      KELPIE_ENROLL_HEARTBEAT_TIMEOUT_MS: '60000',
      KELPIE_AGENT_METRICS_PORT: '9464',
      // Fencing judged within the test's time (soft fencing of a hung agent).
      KELPIE_FENCE_STARTUP_GRACE_MS: '15000',
      KELPIE_AGENT_METRICS_TOKEN_FILE: metricsTokenFile,
    },
  });
  w = await enrollWorld({ lab, labStatus, engine, dbUrl: db.url }, 'dc-kqg1');
});

afterAll(async () => {
  await kit?.close().catch(() => undefined);
  await w?.engine.stop().catch(() => undefined);
  await w?.lab.down().catch(() => undefined);
  await db?.drop().catch(() => undefined);
});

describe('enrollment over SSH', () => {
  it('first answers with the host key for the admin to confirm, creating nothing', async () => {
    const res = await api(w, 'POST', '/hosts', enrollBody('h1', { password: w.access.password }));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('host_key_unconfirmed');
    expect(res.body.details[0]).toEqual({
      field: 'expectedHostKeyFingerprint',
      reason: await w.lab.hostKeyFingerprint('h1'),
    });
    expect((await ok(w, 'GET', '/hosts')).total).toBe(0);
  });

  it('refuses a body with both or neither of password and private key (400, nothing written)', async () => {
    const fp = await w.lab.hostKeyFingerprint('h1');
    const both = await api(
      w,
      'POST',
      '/hosts',
      enrollBody('h1', {
        password: 'x',
        privateKey: w.access.privateKey,
        expectedHostKeyFingerprint: fp,
      }),
    );
    expect(both.status).toBe(400);
    expect(both.body.details[0].field).toBe('privateKey');
    const badFp = await api(
      w,
      'POST',
      '/hosts',
      enrollBody('h1', { password: 'x', expectedHostKeyFingerprint: 'MD5:aa' }),
    );
    expect(badFp.status).toBe(400);
    expect((await ok(w, 'GET', '/hosts')).total).toBe(0);
  });

  it('a wrong password fails the ssh step with the reason; nothing is installed', async () => {
    const t = await finished(
      w,
      'POST',
      '/hosts',
      enrollBody('h1', {
        password: BAD_PASSWORD,
        expectedHostKeyFingerprint: await w.lab.hostKeyFingerprint('h1'),
      }),
    );
    ids.h1 = t.target!.id;
    expect(t.status).toBe('failed');
    expect(stepOf(t, 'ssh')).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/refused the credentials/),
    });
    expect(stepOf(t, 'install')!.status).toBe('skipped');
    const host = await hostOf(w, ids.h1);
    expect(host.status).toBe('error');
    expect(host.statusReason).toMatch(/enrollment failed at ssh/);
    expect(await filesIn(w, 'h1', 'opt-kelpie-agent')).toEqual([]);
  });

  it('an SSH port where nothing listens fails the ssh step, saying so', async () => {
    const t = await finished(w, 'POST', '/hosts', {
      name: 'kqg-nossh',
      clusterId: w.clusterId,
      address: w.labStatus.bridgeIp,
      sshPort: 2,
      password: 'x',
      expectedHostKeyFingerprint: await w.lab.hostKeyFingerprint('h1'),
    });
    expect(t.status).toBe('failed');
    expect(stepOf(t, 'ssh')!.message).toMatch(/nothing listens for SSH at 10\.125\.0\.1:2/);
    await ok(w, 'DELETE', `/hosts/${t.target!.id}`);
  });

  it('enrolls h1 with the root password: every step passes, the key is pinned, the host is Up', async () => {
    const t = await finished(w, 'POST', `/hosts/${ids.h1}/enroll`, { password: w.access.password });
    expect(t.errorMessage).toBeNull();
    expect(t.status).toBe('succeeded');
    expect(t.steps.map((s) => s.status)).toEqual(t.steps.map(() => 'done'));
    expect(stepOf(t, 'kvm')!.message).toMatch(/\/dev\/kvm|TCG/);
    expect(stepOf(t, 'libvirt')!.message).toMatch(/library|daemon|hypervisor/i);
    expect(stepOf(t, 'network')!.message).toContain(`Redis ${w.labStatus.bridgeIp}:6379`);
    const host = await hostOf(w, ids.h1);
    expect(host.status).toBe('up');
    expect(host.sshHostKeyFingerprint).toBe(await w.lab.hostKeyFingerprint('h1'));
    // Configuration and credentials 0600, in the host's own /etc/kelpie.
    for (const f of ['agent.env', 'credentials.json']) {
      const mode = (await stat(join(w.lab.host('h1').dir, 'etc-kelpie', f))).mode & 0o777;
      expect(mode.toString(8)).toBe('600');
    }
    const creds = JSON.parse(
      await readFile(join(w.lab.host('h1').dir, 'etc-kelpie', 'credentials.json'), 'utf8'),
    );
    expect(creds.hostId).toBe(ids.h1);
    expect(await agentPids(w, 'h1')).toHaveLength(1);
    // No systemd on lab hosts: the supervisor started the lease renewer too, a process of its own.
    expect(await renewerPids(w, 'h1')).toHaveLength(1);
    // Its metrics endpoint is on the host's address, for Prometheus with the configured token only.
    const metricsUrl = `http://${w.lab.host('h1').ip}:9464/metrics`;
    const scraped = await eventually(
      'the agent metrics endpoint',
      () => fetch(metricsUrl, { headers: { authorization: `Bearer ${AGENT_METRICS_TOKEN}` } }),
      15_000,
      250,
    );
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^kelpie_/m);
    expect((await fetch(metricsUrl)).status).toBe(401);
    expect(
      (await fetch(metricsUrl, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status,
    ).toBe(401);
    expect(await agentPids(w, 'h2')).toEqual([]);
  });

  it('a host whose libvirtd is not running fails at the libvirt step; nothing is installed', async () => {
    await w.lab.stopLibvirtd('h2');
    const t = await finished(
      w,
      'POST',
      '/hosts',
      enrollBody('h2', {
        privateKey: w.access.privateKey,
        expectedHostKeyFingerprint: await w.lab.hostKeyFingerprint('h2'),
      }),
    );
    ids.h2 = t.target!.id;
    expect(t.status).toBe('failed');
    expect(stepOf(t, 'libvirt')).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/libvirtd does not answer/),
    });
    expect(t.errorMessage).toMatch(/^libvirt: /);
    expect(await filesIn(w, 'h2', 'opt-kelpie-agent')).toEqual([]);
    expect(await filesIn(w, 'h2', 'etc-kelpie')).toEqual([]);
    await w.lab.up(2, { installPackages: false }); // starts h2's libvirtd again
  });

  it('enrolls h2 with a private key, and a VM live-migrates from h1 to h2', async () => {
    const t = await finished(w, 'POST', `/hosts/${ids.h2}/enroll`, { privateKey: w.access.privateKey });
    expect(t.errorMessage).toBeNull();
    expect(stepOf(t, 'network')!.message).toContain(`host kqg-h1 ${w.lab.host('h1').ip}:16514`);
    expect((await hostOf(w, ids.h2)).status).toBe('up');
    // Hosts talk to each other's libvirtd over TLS with the engine-issued certificates: h1's libvirt
    // client (its certificate, the engine CA) reaches h2's libvirtd, whose listener the agent reloaded.
    for (const [from, to] of [
      ['h1', 'h2'],
      ['h2', 'h1'],
    ] as const) {
      const uri = (await hostOf(w, ids[to])).libvirtUri;
      expect(uri).toBe(`qemu+tls://${w.lab.host(to).ip}/system`);
      const r = await eventually(
        `${from} reaches ${to}'s libvirtd over TLS`,
        async () => {
          const run = await w.lab.execInHost(from, ['virsh', '-c', uri, 'hostname']);
          return run.code === 0 ? run : null;
        },
        15_000,
        500,
      );
      expect(r.stdout.trim()).not.toBe('');
    }
    // …and a client whose certificate the engine did not issue is refused by h2's listener (the
    // client skips checking h2, so only the server's check can stop it).
    const pki = await mkdtemp(join(tmpdir(), 'kqg-stranger-'));
    try {
      await writePlaceholderTls(pki, w.lab.host('h1').ip);
      await copyFile(join(pki, 'CA/cacert.pem'), join(pki, 'libvirt/cacert.pem'));
      await copyFile(join(pki, 'libvirt/private/clientkey.pem'), join(pki, 'libvirt/clientkey.pem'));
      const ip2 = w.lab.host('h2').ip;
      const stranger = await w.lab.execInHost('h1', [
        'virsh',
        '-c',
        `qemu+tls://${ip2}/system?pkipath=${join(pki, 'libvirt')}&no_verify=1`,
        'hostname',
      ]);
      expect(stranger.code).not.toBe(0);
      expect(stranger.stderr).toMatch(/certificate|TLS|handshake/i);
    } finally {
      await rm(pki, { recursive: true, force: true });
    }
    kit = await MigrationKit.over(enrolledPlatform(w, { h1: ids.h1!, h2: ids.h2! }));
    const g = await kit.startGuest('h1', 'kqg-vm');
    const m = await kit.waitTask((await kit.migrate(g.id, { targetHostId: ids.h2 })).id);
    expect(m.status).toBe('succeeded');
    expect(await kit.whereIs(g.id)).toEqual({ h2: 'running' });
    ids.vm = g.id;
    ids.vmName = g.name;
  });

  it('re-enrolling h2 upgrades its agent in place; the VM on it keeps running (same QEMU)', async () => {
    const qemuPid = await readFile(
      join(w.lab.host('h2').dir, 'run-libvirt', 'qemu', `${vmName()}.pid`),
      'utf8',
    );
    const [before] = await agentPids(w, 'h2');
    const t = await finished(w, 'POST', `/hosts/${ids.h2}/enroll`, { password: w.access.password });
    expect(t.errorMessage).toBeNull();
    expect(stepOf(t, 'install')!.message).toMatch(/^upgraded agent/);
    const after = await agentPids(w, 'h2');
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    expect(await kit!.whereIs(ids.vm!)).toEqual({ h2: 'running' });
    expect(await readFile(join(w.lab.host('h2').dir, 'run-libvirt', 'qemu', `${vmName()}.pid`), 'utf8')).toBe(
      qemuPid,
    );
    expect((await hostOf(w, ids.h2)).status).toBe('up');
  });

  it("soft fencing: h1's agent hangs → non-responsive → the engine restarts it over SSH with a key that can do nothing else; Up again, no hard fence", async () => {
    // Enrollment put the engine's key where h1's sshd reads root's keys, restricted, beside the admin's.
    const env = await readFile(join(w.lab.host('h1').dir, 'etc-kelpie', 'agent.env'), 'utf8');
    expect(env).toContain("KELPIE_ENGINE_AUTHORIZED_KEYS='/etc/ssh/authorized_keys/root'");
    const keys = await readFile(join(w.lab.host('h1').dir, 'etc-ssh', 'authorized_keys', 'root'), 'utf8');
    expect(keys).toContain(w.access.publicKey.trim());
    const engineLines = keys.split('\n').filter((l) => l.endsWith(' kelpie-engine-soft-fence'));
    if (engineLines.length !== 1) console.log(`h1 authorized_keys:\n${keys}`);
    expect(engineLines).toEqual([
      expect.stringMatching(
        /^restrict,command="\/opt\/kelpie-agent\/soft-fence\.sh" ecdsa-sha2-nistp256 \S+ /,
      ),
    ]);
    const [hung] = await agentPids(w, 'h1');
    const renewers = await renewerPids(w, 'h1');
    expect(renewers).toHaveLength(1);
    const since = new Date().toISOString();
    process.kill(hung!, 'SIGSTOP');
    try {
      await eventually(
        'h1 non-responsive',
        async () => (await hostOf(w, ids.h1)).status === 'non_responsive',
        60_000,
        500,
      );
      await eventually('h1 up again', async () => (await hostOf(w, ids.h1)).status === 'up', 90_000, 500);
    } finally {
      try {
        process.kill(hung!, 'SIGCONT');
      } catch {
        // Killed by the soft fence, as it should be.
      }
    }
    const now = await agentPids(w, 'h1');
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(hung);
    // The lease renewer went on through the agent's hang and restart: the same process.
    expect(await renewerPids(w, 'h1')).toEqual(renewers);
    const events = (
      (await api(w, 'GET', `/events?objectId=${ids.h1}&since=${since}&limit=200`)).body as {
        items: { type: string; message: string }[];
      }
    ).items;
    const types = events.map((e) => e.type);
    expect(types).toContain('host.soft_fence_call');
    expect(events.find((e) => e.type === 'host.fence_result')?.message).toMatch(
      /through ssh-soft succeeded.*hung agent killed/,
    );
    expect(types).not.toContain('host.fence_call');
    // The key runs the soft-fence script whatever is asked: no shell for whoever steals it.
    const asked = await execFileP('ssh', [
      '-i',
      '/var/lib/kelpie-engine/engine-ssh-key.pem',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      `root@${w.lab.host('h1').ip}`,
      'id',
    ]);
    expect(asked.stdout).toMatch(/agent restarted by its supervisor/);
    expect(asked.stdout).not.toMatch(/uid=0/);
    await eventually(
      'h1 up after the extra restart',
      async () => (await hostOf(w, ids.h1)).status === 'up',
      30_000,
      500,
    );
  });

  it('refuses to reinstall h1 once its host key changed, touching nothing', async () => {
    const agentJs = join(w.lab.host('h1').dir, 'opt-kelpie-agent', 'lib', 'agent.js');
    const before = (await stat(agentJs)).mtimeMs;
    const pids = await agentPids(w, 'h1');
    const pinned = (await hostOf(w, ids.h1)).sshHostKeyFingerprint;
    const fresh = await w.lab.changeHostKey('h1');
    const t = await finished(w, 'POST', `/hosts/${ids.h1}/enroll`, { password: w.access.password });
    expect(t.status).toBe('failed');
    expect(stepOf(t, 'ssh')!.message).toContain(`is ${fresh}`);
    expect(stepOf(t, 'ssh')!.message).toContain(`not the expected ${pinned}`);
    expect((await stat(agentJs)).mtimeMs).toBe(before);
    expect(await agentPids(w, 'h1')).toEqual(pids);
    expect((await hostOf(w, ids.h1)).sshHostKeyFingerprint).toBe(pinned);
    // Confirming the new key instead is refused too: a host with a new key is a new host.
    const res = await api(w, 'POST', `/hosts/${ids.h1}/enroll`, {
      password: 'x',
      expectedHostKeyFingerprint: fresh,
    });
    expect(res.status).toBe(409);
  });

  it('an Up host keeps its address (409); DELETE in maintenance removes the agent from the host', async () => {
    const patch = await api(w, 'PATCH', `/hosts/${ids.h1}`, { address: '10.125.0.99' });
    expect(patch.status).toBe(409);
    expect(patch.body.details[0].field).toBe('address');
    const m = await finished(w, 'POST', `/hosts/${ids.h1}/maintenance`);
    expect(m.status).toBe('succeeded');
    // The agent logs in to Redis as a user of its own (ADR 0017), which the removal deletes.
    const user = agentRedisUser(redisPrefix, ids.h1);
    expect((await credentialsOf('h1')).redis.username).toBe(user);
    expect(await aclUser(user)).not.toBeNull();
    const del = await api(w, 'DELETE', `/hosts/${ids.h1}`);
    expect(del.status).toBe(204);
    expect(await aclUser(user)).toBeNull();
    // The uninstall script removes /opt/kelpie-agent, then /etc/kelpie: wait for both, not the first.
    await eventually(
      'h1 agent stopped and removed',
      async () =>
        (await agentPids(w, 'h1')).length === 0 &&
        (await renewerPids(w, 'h1')).length === 0 &&
        (await filesIn(w, 'h1', 'opt-kelpie-agent')).length === 0 &&
        (await filesIn(w, 'h1', 'etc-kelpie')).length === 0,
      30_000,
      250,
    );
    expect(await filesIn(w, 'h1', 'etc-kelpie')).toEqual([]);
  });

  it("never stores or logs the SSH credentials, the Redis password it gave the host, nor the agents' metrics token", async () => {
    const secrets = [
      w.access.password,
      BAD_PASSWORD,
      w.access.privateKey.split('\n')[1]!,
      (await credentialsOf('h2')).redis.password!,
      AGENT_METRICS_TOKEN,
    ];
    const log = await readFile(logFile, 'utf8');
    expect(log.length).toBeGreaterThan(1000); // the engine did log (trace level)
    const dump = await pgDump(w.dbUrl);
    expect(dump).toContain(ids.h2); // the dump has the data
    for (const s of secrets) {
      expect(log.includes(s)).toBe(false);
      expect(dump.includes(s)).toBe(false);
    }
  });
});

/** The shape MigrationKit reads, over the enrolled hosts. */
function vmName(): string {
  return ids.vmName!;
}
