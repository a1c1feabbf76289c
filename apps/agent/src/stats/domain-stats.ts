import type { StatsReport } from '@kelpie/shared-types';
import type { RawDomainStats } from '../libvirt/operations';

export type DomainStats = StatsReport['domains'][number];

const num = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** `domstats --raw` fields of one domain → the report's per-VM entry (without cpuPercent). */
export function mapDomainStats(uuid: string, raw: RawDomainStats): DomainStats {
  const f = raw.fields;
  const out: DomainStats = { uuid, cpuTimeNs: num(f['cpu.time']) ?? 0, block: [], net: [] };
  const balloon = num(f['balloon.current']);
  if (balloon !== undefined) out.balloonKiB = Math.round(balloon);
  const rss = num(f['balloon.rss']);
  if (rss !== undefined) out.rssKiB = Math.round(rss);
  const blocks = num(f['block.count']) ?? 0;
  for (let i = 0; i < blocks; i++) {
    out.block.push({
      name: f[`block.${i}.name`] ?? `block${i}`,
      rdBytes: num(f[`block.${i}.rd.bytes`]) ?? 0,
      wrBytes: num(f[`block.${i}.wr.bytes`]) ?? 0,
    });
  }
  const nets = num(f['net.count']) ?? 0;
  for (let i = 0; i < nets; i++) {
    out.net.push({
      name: f[`net.${i}.name`] ?? `net${i}`,
      rxBytes: num(f[`net.${i}.rx.bytes`]) ?? 0,
      txBytes: num(f[`net.${i}.tx.bytes`]) ?? 0,
    });
  }
  return out;
}

/** Per-VM CPU %: cpu.time delta over wall-clock delta, as a percentage of ONE host CPU
 * (a VM busy on 2 vCPUs reads ~200). */
export class DomainCpuTracker {
  private prev = new Map<string, { cpuTimeNs: number; at: number }>();

  apply(stats: DomainStats[], atMs: number): DomainStats[] {
    const next = new Map<string, { cpuTimeNs: number; at: number }>();
    for (const s of stats) {
      const p = this.prev.get(s.uuid);
      if (p && atMs > p.at && s.cpuTimeNs >= p.cpuTimeNs) {
        s.cpuPercent = Math.round(((s.cpuTimeNs - p.cpuTimeNs) / ((atMs - p.at) * 1e6)) * 10000) / 100;
      }
      next.set(s.uuid, { cpuTimeNs: s.cpuTimeNs, at: atMs });
    }
    this.prev = next;
    return stats;
  }
}
