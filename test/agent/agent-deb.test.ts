import type { Task } from '@kelpie/shared-types';
import { virsh } from '@kelpie/lab';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startTestPlatform, TestPlatform } from '../support/platform';
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
});
