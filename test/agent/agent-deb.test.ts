import {
  type AgentCredentials,
  ENGINE_SSH_KEY_COMMENT,
  envFile,
  type Host,
  LOCKSPACE_DIR,
  type Task,
} from '@kelpie/shared-types';
import { EngineSshKey } from '@kelpie/engine/testing';
import { virsh } from '@kelpie/lab';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';
import { defineTestVm, taskDone, uriOf } from '../vm/support-ks';

/** The agent as a Debian package (lab kdb1, 1 host): built by the agent's tool with dpkg-deb, its
 * contents and metadata as dpkg reads them, and the packaged agent really managing the lab host. */
const BUILD_DEB = resolve(__dirname, '../../apps/agent/dist/tools/build-deb.js');
const run = promisify(execFile);

let p: TestPlatform;
let work: string;
let deb: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kelpie-deb-'));
  p = await startTestPlatform({ labName: 'kdb1', subnet: 171, hosts: 1 });
}, 180_000);

afterAll(async () => {
  await p?.close();
  await rm(work, { recursive: true, force: true });
});

/** The command lines of this machine's processes (the lab hosts share its process table). */
async function commandLines(): Promise<string[]> {
  const out: string[] = [];
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd) out.push(cmd.replace(/\0/g, ' '));
  }
  return out;
}

describe('the agent Debian package', () => {
  it('is built from the bundle with the layout, unit and maintainer scripts dpkg expects', async () => {
    deb = (await run(process.execPath, [BUILD_DEB, '--out', join(work, 'out')])).stdout.trim();
    expect(deb).toMatch(/kelpie-agent_\d+\.\d+\.\d+[^/]*_all\.deb$/);
    const field = async (f: string) => (await run('dpkg-deb', ['-f', deb, f])).stdout.trim();
    expect(await field('Package')).toBe('kelpie-agent');
    expect(await field('Architecture')).toBe('all');
    expect(await field('Depends')).toContain('libvirt-clients');
    const contents = (await run('dpkg-deb', ['-c', deb])).stdout;
    for (const path of [
      './opt/kelpie-agent/lib/agent.js',
      './opt/kelpie-agent/supervisor.sh',
      './lib/systemd/system/kelpie-agent.service',
      './lib/systemd/system/kelpie-lease-renewer.service',
      './opt/kelpie-agent/lease-renewer.sh',
      './opt/kelpie-agent/soft-fence.sh',
    ])
      expect(contents).toContain(path);
    expect(contents).not.toContain('./etc/kelpie');
    expect(contents).toMatch(/^drwxr-xr-x root\/root +0 \S+ \S+ \.\/$/m);
    const scripts = join(work, 'control');
    await run('dpkg-deb', ['-e', deb, scripts]);
    expect((await stat(join(scripts, 'postinst'))).mode & 0o777).toBe(0o755);
    await run('sh', ['-n', join(scripts, 'postinst')]);
    await run('sh', ['-n', join(scripts, 'prerm')]);
  });

  it('installed, its agent manages the host: the engine starts a VM through it', async () => {
    const root = join(work, 'root');
    await run('dpkg-deb', ['-x', deb, root]);
    const packaged = join(root, 'opt/kelpie-agent/lib/agent.js');
    await p.lab.stopAgent('h1');
    // As an admin deploying the package does: the credentials file comes from the API.
    await p.startAgent('h1', packaged, true);
    expect((await commandLines()).some((c) => c.includes(packaged))).toBe(true);
    const vm = await defineTestVm(p, 'kdb-vm');
    const start = await p.engine.api('POST', `/api/v1/vms/${vm.id}/start`);
    expect(start.status).toBe(202);
    expect(await taskDone(p, start.body as Task)).toMatchObject({ status: 'succeeded' });
    expect((await virsh(uriOf(p), ['domstate', vm.id])).stdout.trim()).toBe('running');
    // The packaged code is the bundle enrollment would install: same checksum as its metadata says.
    const bundled = JSON.parse(await readFile(join(root, 'opt/kelpie-agent/package.json'), 'utf8'));
    expect(
      createHash('sha256')
        .update(await readFile(packaged))
        .digest('hex'),
    ).toBe(bundled.sha256);
  });

  it('installed without systemd: postinst configures the host from the credentials and starts the supervisor, which runs the lease renewer apart from the agent', async () => {
    const root = join(work, 'root');
    const host = p.lab.host('h1');
    await p.lab.stopAgent('h1');
    // The package's files where dpkg puts them inside the lab host (its /opt/kelpie-agent and
    // /etc/kelpie are directories of its own), and the configuration the admin writes.
    await cp(join(root, 'opt/kelpie-agent'), join(host.dir, 'opt-kelpie-agent'), { recursive: true });
    // The datacenter gets a shared directory domain, then the admin fetches the host's credentials from
    // the API: they carry its lockspace and the engine's soft-fence key line (ADR 0060).
    const sd = await p.engine.api('POST', '/api/v1/storage-domains', {
      name: 'kdb-shared',
      datacenterId: p.datacenterId,
      type: 'dir',
      path: p.labStatus.sharedDir,
    });
    expect(sd.status).toBeLessThan(300);
    const issued = await p.engine.api('POST', `/api/v1/hosts/${p.hosts.h1.id}/credentials`, {
      replace: true,
    });
    expect(issued.status).toBe(201);
    const credentials = issued.body as AgentCredentials;
    const lockspace = `${p.labStatus.sharedDir.replace(/\/+$/, '')}/${LOCKSPACE_DIR}`;
    const engineLine = p.engine.app.get(EngineSshKey).authorizedKeyLine;
    expect(credentials.hostConfig).toEqual({ lockspace, engineAuthorizedKey: engineLine });
    expect(JSON.stringify(credentials.hostConfig)).not.toContain('PRIVATE KEY');
    // Redis as the lab host reaches it (the file test 2's agent used).
    const reach = JSON.parse(await readFile(join(host.dir, 'credentials.json'), 'utf8')) as AgentCredentials;
    await writeFile(
      join(host.dir, 'etc-kelpie', 'credentials.json'),
      JSON.stringify({ ...credentials, redis: { ...credentials.redis, url: reach.redis.url } }),
      { mode: 0o600 },
    );
    const hostFile = (...path: string[]) => join(host.dir, ...path);
    const qemuConf = hostFile('etc-libvirt', 'qemu.conf');
    const keysFile = hostFile('etc-ssh', 'authorized_keys', 'root');
    expect(await readFile(qemuConf, 'utf8')).not.toMatch(/^\s*lock_manager\s*=\s*"lockd"/m);
    // An older engine line (another engine key) is there: it is replaced, not kept beside the new one.
    const adminKeys = await readFile(keysFile, 'utf8');
    await writeFile(
      keysFile,
      `${adminKeys}restrict,command="/opt/kelpie-agent/soft-fence.sh" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOLD ${ENGINE_SSH_KEY_COMMENT}\n`,
      { mode: 0o600 },
    );
    await writeFile(
      join(host.dir, 'etc-kelpie', 'agent.env'),
      envFile({
        KELPIE_CREDENTIALS_FILE: '/etc/kelpie/credentials.json',
        KELPIE_REDIS_PREFIX: p.engine.config.redisPrefix,
        KELPIE_LIBVIRT_URI: 'qemu:///system',
        KELPIE_VIRTUALIZATION: 'tcg',
        KELPIE_NODE_BINARY: process.execPath,
      }),
      { mode: 0o600 },
    );
    const postinst = await p.lab.execInHost(
      'h1',
      ['/bin/sh', join(work, 'control', 'postinst'), 'configure'],
      { timeoutMs: 150_000 },
    );
    if (postinst.code !== 0) console.log(`postinst:\n${postinst.stdout}\n${postinst.stderr}`);
    expect(postinst.code).toBe(0);
    // The host configuration: libvirt's lock manager on with the datacenter's lockspace, and exactly
    // one engine line, restricted to the soft-fence script, in the authorized_keys file sshd reads.
    expect(await readFile(qemuConf, 'utf8')).toMatch(/^lock_manager = "lockd"$/m);
    const lockd = await readFile(hostFile('etc-libvirt', 'qemu-lockd.conf'), 'utf8');
    expect(lockd).toContain(`file_lockspace_dir = "${lockspace}"`);
    expect(lockd).toMatch(/^auto_disk_leases = 1$/m);
    const keys = await readFile(keysFile, 'utf8');
    const engineLines = keys.split('\n').filter((l) => l.endsWith(` ${ENGINE_SSH_KEY_COMMENT}`));
    expect(engineLines).toEqual([engineLine]);
    expect(engineLine).toMatch(
      /^restrict,command="\/opt\/kelpie-agent\/soft-fence\.sh" \S+ \S+ kelpie-engine-soft-fence$/,
    );
    for (const line of adminKeys.split('\n').filter(Boolean)) expect(keys.split('\n')).toContain(line);
    // Run again (as every agent start does): nothing changes, libvirtd is not restarted.
    const configured = {
      qemu: await readFile(qemuConf, 'utf8'),
      lockd,
      keys,
      keysMtime: (await stat(keysFile)).mtimeMs,
      qemuMtime: (await stat(qemuConf)).mtimeMs,
    };
    const again = await p.lab.execInHost('h1', ['/bin/sh', '/opt/kelpie-agent/supervisor.sh', 'configure']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already on');
    expect(again.stdout).toContain('already in');
    expect({
      qemu: await readFile(qemuConf, 'utf8'),
      lockd: await readFile(hostFile('etc-libvirt', 'qemu-lockd.conf'), 'utf8'),
      keys: await readFile(keysFile, 'utf8'),
      keysMtime: (await stat(keysFile)).mtimeMs,
      qemuMtime: (await stat(qemuConf)).mtimeMs,
    }).toEqual(configured);
    const running = async (file: string) => {
      const { stdout } = await run('ip', ['netns', 'pids', host.netns]);
      const pids: number[] = [];
      for (const pid of stdout.split('\n').filter(Boolean).map(Number))
        if ((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').includes(file))
          pids.push(pid);
      return pids;
    };
    const renewers = await eventually(
      'the lease renewer running',
      async () => ((await running('/opt/kelpie-agent/lease-renewer.sh')).length === 1 ? true : undefined),
      15_000,
      250,
    ).then(() => running('/opt/kelpie-agent/lease-renewer.sh'));
    const agent = await running('/opt/kelpie-agent/lib/agent.js');
    expect(agent).toHaveLength(1);
    await eventually(
      'h1 up through the supervised agent',
      async () =>
        ((await p.engine.api('GET', `/api/v1/hosts/${p.hosts.h1.id}`)).body as Host).status === 'up',
      60_000,
      500,
    );
    // The same agent process: it runs, not a crash loop of the supervisor.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await running('/opt/kelpie-agent/lib/agent.js')).toEqual(agent);
    // The renewer is not the agent's child: stopping the agent leaves it renewing; removal ends it.
    const stop = await p.lab.execInHost('h1', ['/bin/sh', '/opt/kelpie-agent/supervisor.sh', 'stop']);
    expect(stop.code).toBe(0);
    expect(await running('/opt/kelpie-agent/lib/agent.js')).toEqual([]);
    expect(await running('/opt/kelpie-agent/lease-renewer.sh')).toEqual(renewers);
    const prerm = await p.lab.execInHost('h1', ['/bin/sh', join(work, 'control', 'prerm'), 'remove']);
    expect(prerm.code).toBe(0);
    await eventually(
      'the renewer stopped',
      async () => (await running('/opt/kelpie-agent/lease-renewer.sh')).length === 0,
      10_000,
      250,
    );
  }, 300_000);
});
