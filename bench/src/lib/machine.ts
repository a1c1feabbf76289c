import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  nproc: number;
  memoryGiB: number;
  kernel: string;
  cpuModel: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  return {
    nproc: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    cpuModel: cpus()[0]?.model?.trim() ?? 'unknown',
    node: process.version,
  };
}

export function gitCommit(root: string): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}

export interface LoadSnapshot {
  loadavg1: number;
  /** Processes outside this benchmark using CPU right now (qemu guests, other test runs). */
  busyProcesses: { pid: number; comm: string; cpuPercent: number }[];
}

/** Load of the machine at one moment: 1-minute load average and the processes that use CPU over a
 * short window (so a reader knows whether the numbers were taken on a quiet machine). */
export async function loadSnapshot(windowMs = 1000, exclude: number[] = []): Promise<LoadSnapshot> {
  const ticks = () => {
    const out = new Map<number, { comm: string; t: number }>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(Number(name), { comm, t: Number(f[11]) + Number(f[12]) });
      } catch {
        // exited meanwhile
      }
    }
    return out;
  };
  const a = ticks();
  await new Promise((r) => setTimeout(r, windowMs));
  const b = ticks();
  const busy = [];
  for (const [pid, v] of b) {
    const before = a.get(pid);
    if (!before || exclude.includes(pid) || pid === process.pid) continue;
    const pct = ((v.t - before.t) * 10 * 100) / windowMs; // ticks of 10 ms
    if (pct >= 5) busy.push({ pid, comm: v.comm, cpuPercent: Math.round(pct) });
  }
  return { loadavg1: Math.round(loadavg()[0] * 100) / 100, busyProcesses: busy };
}

/** CPU time (user+system, ms) and RSS (bytes) of one process, from /proc. */
export function procSample(pid: number): { cpuMs: number; rssBytes: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3); utime = field 14, stime = field 15 → indexes 11, 12.
    const hz = 100;
    const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / hz;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    return { cpuMs, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
  } catch {
    return null;
  }
}
