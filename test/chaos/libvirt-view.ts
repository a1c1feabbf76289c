import { run, virsh } from '@kelpie/lab';

/** What libvirt says on one lab host, read with raw virsh (never through Kelpie). */
export interface HostListing {
  /** Every defined or running domain (UUID). */
  all: string[];
  running: string[];
  paused: string[];
}

const lines = (out: string) =>
  out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Undefined when the host's libvirtd does not answer (restarting): the caller skips that host. */
export async function listHost(uri: string): Promise<HostListing | undefined> {
  const [all, running, paused] = await Promise.all([
    virsh(uri, ['list', '--all', '--uuid'], 10_000),
    virsh(uri, ['list', '--uuid', '--state-running'], 10_000),
    virsh(uri, ['list', '--uuid', '--state-paused'], 10_000),
  ]);
  if (all.code !== 0 || running.code !== 0 || paused.code !== 0) return undefined;
  return { all: lines(all.stdout), running: lines(running.stdout), paused: lines(paused.stdout) };
}

/** The files a domain's disks use (live definition and persistent one). */
export async function domainDiskSources(uri: string, uuid: string): Promise<string[]> {
  const out: string[] = [];
  for (const extra of [[], ['--inactive']]) {
    const r = await virsh(uri, ['domblklist', '--details', ...extra, uuid], 10_000);
    if (r.code !== 0) continue;
    for (const line of r.stdout.split('\n').slice(2)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length >= 4 && cols[0] === 'file' && cols[3].startsWith('/')) out.push(cols[3]);
    }
  }
  return out;
}

/** Every file of an image's backing chain, the image first (read with `-U`: a running QEMU holds its
 * lock). An unreadable image answers itself alone: it may be going away as it is read. */
export async function backingChain(path: string): Promise<string[]> {
  const r = await run('qemu-img', ['info', '-U', '--backing-chain', '--output=json', path], {
    timeoutMs: 10_000,
  });
  if (r.code !== 0) return [path];
  return (JSON.parse(r.stdout) as { filename: string }[]).map((i) => i.filename);
}

/** libvirt's state of a domain listed on the host, in the words `virsh domstate` uses. */
export function libvirtState(h: HostListing, uuid: string): 'running' | 'paused' | 'shut off' {
  if (h.running.includes(uuid)) return 'running';
  if (h.paused.includes(uuid)) return 'paused';
  return 'shut off';
}
