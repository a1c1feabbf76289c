import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** A private libvirtd for integration tests, in the root network namespace but its own mount
 * namespace (libvirt's fixed QEMU driver paths would collide otherwise, see shared notes/lab.md):
 * /etc/libvirt, /var/lib/libvirt, /run/libvirt, /var/log/libvirt and /var/cache/libvirt are
 * bind-mounted from a temp dir. Reached through its UNIX socket (no TCP port). Guests are TCG. */
export class LibvirtSandbox {
  private constructor(readonly dir: string) {}

  get uri(): string {
    return `qemu+unix:///system?socket=${join(this.dir, 'run', 'libvirt-sock')}`;
  }

  static async start(): Promise<LibvirtSandbox> {
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-agent-libvirt-'));
    const sbx = new LibvirtSandbox(dir);
    for (const d of ['etc', 'lib', 'run', 'log', 'cache']) await mkdir(join(dir, d), { recursive: true });
    await cp('/etc/libvirt', join(dir, 'etc'), { recursive: true });
    await rm(join(dir, 'etc', 'qemu', 'networks', 'autostart'), { recursive: true, force: true });
    // Keep any defined domains of the machine out of the sandbox.
    for (const f of await readdir(join(dir, 'etc', 'qemu')).catch(() => [])) {
      if (f.endsWith('.xml')) await rm(join(dir, 'etc', 'qemu', f), { force: true });
    }
    await cp('/var/cache/libvirt', join(dir, 'cache'), { recursive: true }).catch(() => undefined);
    for (const d of ['images', 'boot', 'qemu']) await mkdir(join(dir, 'lib', d), { recursive: true });
    await mkdir('/run/libvirt', { recursive: true });
    await mkdir('/var/log/libvirt', { recursive: true });
    const script = `set -e
D=${dir}
mount --bind $D/etc /etc/libvirt
mount --bind $D/lib /var/lib/libvirt
mount --bind $D/run /run/libvirt
mount --bind $D/log /var/log/libvirt
mount --bind $D/cache /var/cache/libvirt
virtlogd -d -p $D/virtlogd.pid
libvirtd -d -p $D/libvirtd.pid
`;
    await writeFile(join(dir, 'start.sh'), script, { mode: 0o700 });
    await execFileP('unshare', ['-m', '--propagation', 'slave', 'bash', join(dir, 'start.sh')]);
    await sbx.waitReady(60_000);
    return sbx;
  }

  async pid(name: 'libvirtd' | 'virtlogd'): Promise<number | null> {
    try {
      const n = parseInt(await readFile(join(this.dir, `${name}.pid`), 'utf8'), 10);
      process.kill(n, 0);
      return n;
    } catch {
      return null;
    }
  }

  async virsh(args: string[], timeoutMs = 30_000): Promise<string> {
    const { stdout } = await execFileP('virsh', ['-c', this.uri, ...args], {
      timeout: timeoutMs,
      env: { ...process.env, LC_ALL: 'C' },
    });
    return stdout;
  }

  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await stat(join(this.dir, 'run', 'libvirt-sock'));
        await this.virsh(['list', '--all'], 30_000);
        return;
      } catch (e) {
        if (Date.now() > deadline)
          throw new Error(`sandbox libvirtd not ready: ${(e as Error).message}`, { cause: e });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Kill libvirtd and start it again in the same mount namespace; running guests survive. */
  async restartLibvirtd(): Promise<void> {
    const old = await this.pid('libvirtd');
    const anchor = await this.pid('virtlogd');
    if (!anchor) throw new Error('sandbox virtlogd is gone');
    if (old) {
      process.kill(old, 'SIGTERM');
      await waitGone(old, 15_000);
    }
    await execFileP('nsenter', [
      '-t',
      String(anchor),
      '-m',
      'libvirtd',
      '-d',
      '-p',
      join(this.dir, 'libvirtd.pid'),
    ]);
    await this.waitReady(30_000);
  }

  async stop(): Promise<void> {
    try {
      const uuids = (await this.virsh(['list', '--uuid'])).split('\n').filter(Boolean);
      for (const u of uuids) await this.virsh(['destroy', u]).catch(() => undefined);
    } catch {
      /* libvirtd already down */
    }
    for (const name of ['libvirtd', 'virtlogd'] as const) {
      const p = await this.pid(name);
      if (p) {
        process.kill(p, 'SIGTERM');
        await waitGone(p, 10_000).catch(() => process.kill(p, 'SIGKILL'));
      }
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pid ${pid} still alive`);
}

/** A no-OS TCG guest: enough for lifecycle tests (64 MiB, TB cache capped, no disk). */
export function tinyDomainXml(
  name: string,
  opts: { managed?: boolean; uuid?: string; vnc?: boolean } = {},
): string {
  return `<domain type='qemu'>
  <name>${name}</name>${opts.uuid ? `\n  <uuid>${opts.uuid}</uuid>` : ''}${
    opts.managed ? `\n  <metadata><kelpie:vm xmlns:kelpie="https://kelpie.dev/xmlns/vm/1"/></metadata>` : ''
  }
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/><tcg><tb-cache unit='MiB'>16</tb-cache></tcg></features>
  <devices>${opts.vnc === false ? '' : "\n    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>"}
  </devices>
</domain>
`;
}
