import { readFile } from 'node:fs/promises';

export interface CpuTimes {
  busy: number;
  total: number;
}

/** First line of /proc/stat (`cpu  user nice system idle iowait irq softirq steal ...`). */
export function parseProcStat(text: string): CpuTimes {
  const line = text.split('\n').find((l) => l.startsWith('cpu ')) ?? '';
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
  const idleAll = idle + iowait;
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idleAll, total };
}

export function cpuPercent(prev: CpuTimes, cur: CpuTimes): number {
  const dt = cur.total - prev.total;
  if (dt <= 0) return 0;
  return Math.max(0, Math.min(100, ((cur.busy - prev.busy) / dt) * 100));
}

/** /proc/meminfo → KiB values by key. "Free" for placement purposes is MemAvailable. */
export function parseMeminfo(text: string): { memTotalKiB: number; memFreeKiB: number } {
  const kv: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m) kv[m[1]!] = Number(m[2]);
  }
  return { memTotalKiB: kv.MemTotal ?? 0, memFreeKiB: kv.MemAvailable ?? kv.MemFree ?? 0 };
}

export interface HostStatsSample {
  cpuPercent: number;
  memTotalKiB: number;
  memFreeKiB: number;
  ksmSharedPages?: number;
}

/** Host CPU (delta of /proc/stat since the previous call), memory and KSM. */
export class HostStatsReader {
  private prev: CpuTimes | null = null;

  constructor(
    private readonly paths = {
      stat: '/proc/stat',
      meminfo: '/proc/meminfo',
      ksm: '/sys/kernel/mm/ksm/pages_shared',
    },
  ) {}

  async read(): Promise<HostStatsSample> {
    const [stat, meminfo] = await Promise.all([
      readFile(this.paths.stat, 'utf8'),
      readFile(this.paths.meminfo, 'utf8'),
    ]);
    const cur = parseProcStat(stat);
    const pct = this.prev ? cpuPercent(this.prev, cur) : 0;
    this.prev = cur;
    const sample: HostStatsSample = { cpuPercent: Math.round(pct * 100) / 100, ...parseMeminfo(meminfo) };
    try {
      const ksm = parseInt(await readFile(this.paths.ksm, 'utf8'), 10);
      if (Number.isFinite(ksm)) sample.ksmSharedPages = ksm;
    } catch {
      /* no KSM on this kernel */
    }
    return sample;
  }
}
