import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import {
  access,
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { run, runOrThrow } from '../process-runner';

/** Printed on the serial port when the guest is up, once per boot (an ACPI reboot prints it again). */
export const GUEST_READY_LINE = 'KELPIE-GUEST-READY';
/** `KELPIE-HEARTBEAT <counter> <uptime>` every second on serial (and in sector 0 of /dev/vda). */
export const GUEST_HEARTBEAT_PREFIX = 'KELPIE-HEARTBEAT';

export interface TestGuest {
  kernel: string;
  initrd: string;
}

/** Module load order (a module missing from the package is built in and skipped): virtio, then the ACPI
 * power button (`button`) and the evdev device busybox acpid reads it from (`evdev`). */
export const GUEST_MODULES = [
  'virtio_ring',
  'virtio',
  'virtio_pci_legacy_dev',
  'virtio_pci_modern_dev',
  'virtio_pci',
  'virtio_blk',
  'failover',
  'net_failover',
  'virtio_net',
  'evdev',
  'button',
  // The watchdog core and the i6300esb driver: loading them arms nothing (the timer starts when
  // /dev/watchdog is opened).
  'watchdog',
  'i6300esb',
];

const CACHE_ROOT = '/var/cache/kelpie-lab';
const GUEST_INIT = join(__dirname, '..', '..', 'scripts', 'guest-init.sh');
const BUILDER_VERSION = '2';

/** Counters of all heartbeat lines in a serial log, in order. */
export function parseHeartbeats(serialLog: string): number[] {
  const pattern = new RegExp(`${GUEST_HEARTBEAT_PREFIX} (\\d+) `, 'g');
  return [...serialLog.matchAll(pattern)].map((m) => Number(m[1]));
}

/**
 * Kernel + busybox initramfs of the test guest, built from Debian packages (downloaded, never
 * installed) and cached in /var/cache/kelpie-lab/guest-<hash of inputs>/.
 */
export async function testGuest(options: { log?: (line: string) => void } = {}): Promise<TestGuest> {
  const log = options.log ?? (() => undefined);
  const kernelPackage = await resolveKernelPackage();
  const kernelVersion = await candidateVersion(kernelPackage);
  const busybox = await readFile('/bin/busybox');
  const init = await readFile(GUEST_INIT);
  const hash = createHash('sha256')
    .update([BUILDER_VERSION, kernelPackage, kernelVersion, GUEST_MODULES.join(',')].join('\n'))
    .update(busybox)
    .update(init)
    .digest('hex')
    .slice(0, 16);
  const dir = join(CACHE_ROOT, `guest-${hash}`);
  const guest = { kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.gz') };
  if ((await exists(guest.kernel)) && (await exists(guest.initrd))) return guest;
  log(`building test guest from ${kernelPackage} ${kernelVersion} into ${dir}`);
  await buildGuest(dir, kernelPackage, busybox, init);
  return guest;
}

/** The real linux-image-<abi>-amd64 package that the linux-image-amd64 metapackage points at. */
async function resolveKernelPackage(): Promise<string> {
  let out = await run('apt-cache', ['depends', 'linux-image-amd64']);
  if (!/linux-image-\d/.test(out.stdout)) {
    await runOrThrow('apt-get', ['update'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    out = await run('apt-cache', ['depends', 'linux-image-amd64']);
  }
  const match = /Depends:\s+(linux-image-\d\S*-amd64)/.exec(out.stdout);
  if (!match)
    throw new Error(`cannot resolve the kernel package behind linux-image-amd64: ${out.stdout}${out.stderr}`);
  return match[1];
}

async function candidateVersion(pkg: string): Promise<string> {
  const out = await runOrThrow('apt-cache', ['policy', pkg]);
  return /Candidate:\s+(\S+)/.exec(out)?.[1] ?? 'unknown';
}

async function buildGuest(dir: string, kernelPackage: string, busybox: Buffer, init: Buffer): Promise<void> {
  await mkdir(CACHE_ROOT, { recursive: true });
  const work = await mkdtemp(join(CACHE_ROOT, 'build-'));
  try {
    await runOrThrow('apt-get', ['download', kernelPackage], { cwd: work, timeoutMs: 600000 });
    const deb = (await readdir(work)).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${kernelPackage} produced no .deb`);
    const extracted = join(work, 'kernel');
    await runOrThrow('dpkg-deb', ['-x', join(work, deb), extracted]);
    const vmlinuz = (await readdir(join(extracted, 'boot'))).find((f) => f.startsWith('vmlinuz-'));
    if (!vmlinuz) throw new Error(`no vmlinuz in ${deb}`);
    const initramfs = join(work, 'initramfs');
    await layOutInitramfs(initramfs, extracted, busybox, init);
    const output = join(work, 'out');
    await mkdir(output);
    await copyFile(join(extracted, 'boot', vmlinuz), join(output, 'vmlinuz'));
    await packCpioGzip(initramfs, join(output, 'initrd.gz'));
    await chmod(output, 0o755);
    await rm(dir, { recursive: true, force: true });
    await rename(output, dir);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function layOutInitramfs(
  root: string,
  kernelTree: string,
  busybox: Buffer,
  init: Buffer,
): Promise<void> {
  await mkdir(join(root, 'bin'), { recursive: true });
  await mkdir(join(root, 'lib', 'modules'), { recursive: true });
  for (const d of ['dev', 'proc', 'sys', 'tmp', 'run', 'sbin', 'usr/bin', 'usr/sbin'])
    await mkdir(join(root, d), { recursive: true });
  await writeFile(join(root, 'bin', 'busybox'), busybox, { mode: 0o755 });
  await writeFile(join(root, 'init'), init, { mode: 0o755 });
  const modulesRoot = join(kernelTree, 'lib', 'modules');
  const [release] = await readdir(modulesRoot);
  const found = await indexModules(join(modulesRoot, release));
  const loaded: string[] = [];
  for (const module of GUEST_MODULES) {
    const source = found.get(module);
    if (!source) continue; // built into this kernel
    const target = join(root, 'lib', 'modules', `${module}.ko`);
    if (source.endsWith('.xz')) await writeFile(target, await runBuffer('xz', ['-dc', source]));
    else await copyFile(source, target);
    loaded.push(module);
  }
  await writeFile(join(root, 'lib', 'modules', 'load-order'), `${loaded.join('\n')}\n`);
}

/** module name → path of its .ko / .ko.xz in the kernel tree */
async function indexModules(dir: string, into = new Map<string, string>()): Promise<Map<string, string>> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await indexModules(path, into);
    else {
      const m = /^(.+)\.ko(\.xz)?$/.exec(entry.name);
      if (m) into.set(m[1], path);
    }
  }
  return into;
}

async function listTree(root: string, dir = root, into: string[] = []): Promise<string[]> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    into.push(relative(root, path));
    if (entry.isDirectory()) await listTree(root, path, into);
  }
  return into;
}

/** `cpio -o -H newc` fed with the file list, its output gzipped by zlib. */
async function packCpioGzip(root: string, target: string): Promise<void> {
  const files = await listTree(root);
  const cpio = spawn('cpio', ['-o', '-H', 'newc', '--quiet', '--owner=0:0'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  cpio.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => cpio.on('close', resolve));
  cpio.stdin.end(`${files.join('\n')}\n`);
  await pipeline(cpio.stdout, createGzip({ level: 9 }), createWriteStream(target));
  const code = await exited;
  if (code !== 0) throw new Error(`cpio failed (${code}): ${stderr}`);
}

function runBuffer(command: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${command} exited ${code}`)),
    );
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
