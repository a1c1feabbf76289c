import { BRIDGE_MIRROR_TAP_PREFIX } from '@kelpie/shared-types';
import type { IpRunner } from './ip-runner';

/**
 * Port mirroring on Linux bridges (ADR 0067), beside the OVS mirrors of port-mirrors.ts. A marked VM
 * tap (named `kmir…` by the domain XML) gets a copy of every frame entering its bridge: a clsact
 * ingress u32 filter on each other port of the bridge and an egress one on the bridge device itself
 * (frames the host sends) mirror to the tap. Kelpie's filters are the ones at {@link MIRROR_PREF}; other
 * tc configuration is left alone. The tap's bridge port floods nothing and learns nothing, so, like
 * OVS's output port, it only gets the copies.
 */
export const MIRROR_PREF = '49001';

type Dir = 'ingress' | 'egress';
/** The bridge port flags the marked tap has off: no flooded frames, no learned MAC (no unicast). */
const QUIET_FLAGS = ['flood', 'mcast_flood', 'bcast_flood', 'learning'] as const;

/** What the kernel says about bridges, their ports and Kelpie's mirror filters. */
export interface BridgeMirrorFacts {
  /** Linux bridges and their ports; `quiet`: the port floods and learns nothing. */
  bridges: { name: string; ports: { name: string; quiet: boolean }[] }[];
  /** Devices with a clsact qdisc. */
  clsact: string[];
  /** Kelpie's filters (at MIRROR_PREF) per device and direction: the devices they mirror to (`*`: gone). */
  filters: { dev: string; dir: Dir; targets: string[] }[];
}

export const isMirrorTap = (name: string): boolean => name.startsWith(BRIDGE_MIRROR_TAP_PREFIX);

/** A step: `tc` or `bridge` and its arguments. */
export interface MirrorStep {
  tool: 'tc' | 'bridge';
  args: string[];
}

/**
 * The commands bringing the filters in line with the marked taps: on each device and direction
 * whose set of targets differs, Kelpie's filters are deleted as a whole (one `pref`) and the wanted
 * ones added; then marked taps still flooding or learning are made quiet.
 */
export function planBridgeMirrors(facts: BridgeMirrorFacts): MirrorStep[] {
  const wanted = new Map<string, string[]>();
  const key = (dev: string, dir: Dir) => `${dir} ${dev}`;
  for (const b of facts.bridges) {
    const taps = b.ports.filter((p) => isMirrorTap(p.name)).map((p) => p.name);
    if (!taps.length) continue;
    for (const p of b.ports) {
      const to = taps.filter((t) => t !== p.name);
      if (to.length) wanted.set(key(p.name, 'ingress'), to);
    }
    wanted.set(key(b.name, 'egress'), taps);
  }
  const present = new Map(facts.filters.map((f) => [key(f.dev, f.dir), f.targets]));
  const steps: MirrorStep[] = [];
  const clsact = new Set(facts.clsact);
  const same = (a: string[], b: string[]) => [...a].sort().join(' ') === [...b].sort().join(' ');
  for (const k of [...new Set([...present.keys(), ...wanted.keys()])].sort()) {
    const [dir, dev] = k.split(' ') as [Dir, string];
    const want = wanted.get(k) ?? [];
    const have = present.get(k) ?? [];
    if (same(want, have)) continue;
    if (have.length)
      steps.push({ tool: 'tc', args: ['filter', 'del', 'dev', dev, dir, 'pref', MIRROR_PREF] });
    if (want.length && !clsact.has(dev)) {
      steps.push({ tool: 'tc', args: ['qdisc', 'add', 'dev', dev, 'clsact'] });
      clsact.add(dev);
    }
    for (const to of want)
      steps.push({
        tool: 'tc',
        // u32 matching everything: this kernel has no matchall, flower or basic classifier.
        args: [
          'filter', 'add', 'dev', dev, dir, 'pref', MIRROR_PREF, 'protocol', 'all',
          'u32', 'match', 'u32', '0', '0', 'action', 'mirred', 'egress', 'mirror', 'dev', to,
        ], // prettier-ignore
      });
  }
  for (const b of facts.bridges)
    for (const p of b.ports)
      if (isMirrorTap(p.name) && !p.quiet)
        steps.push({
          tool: 'bridge',
          args: ['link', 'set', 'dev', p.name, ...QUIET_FLAGS.flatMap((f) => [f, 'off'])],
        });
  return steps;
}

interface JsonLink {
  ifname: string;
  master?: string;
  linkinfo?: { info_kind?: string; info_slave_kind?: string; info_slave_data?: Record<string, unknown> };
}

/** Bridges and ports from `ip -j -d link show`, clsact devices from `tc -j qdisc show`. */
export function parseBridgeLinks(linksJson: string, qdiscsJson: string): Omit<BridgeMirrorFacts, 'filters'> {
  const links = JSON.parse(linksJson || '[]') as JsonLink[];
  const bridges = links
    .filter((l) => l.linkinfo?.info_kind === 'bridge')
    .map((b) => ({
      name: b.ifname,
      ports: links
        .filter((l) => l.master === b.ifname && l.linkinfo?.info_slave_kind === 'bridge')
        .map((l) => ({
          name: l.ifname,
          quiet: QUIET_FLAGS.every((f) => l.linkinfo?.info_slave_data?.[f] === false),
        })),
    }));
  const qdiscs = JSON.parse(qdiscsJson || '[]') as { kind: string; dev: string }[];
  return { bridges, clsact: qdiscs.filter((q) => q.kind === 'clsact').map((q) => q.dev) };
}

/** The mirror targets of Kelpie's filters in `tc -j filter show dev … <dir>`. */
export function parseMirrorFilters(filtersJson: string): string[] {
  const rows = JSON.parse(filtersJson || '[]') as {
    pref?: number;
    options?: { actions?: { kind?: string; to_dev?: string }[] };
  }[];
  return rows
    .filter((r) => String(r.pref) === MIRROR_PREF)
    .flatMap((r) => r.options?.actions ?? [])
    .filter((a) => a.kind === 'mirred')
    .map((a) => a.to_dev ?? '*');
}

/** Brings the host's Linux bridge mirrors in line with its marked taps; returns the steps it ran. */
export async function syncBridgeMirrors(ip: IpRunner, tc: IpRunner, bridge: IpRunner): Promise<MirrorStep[]> {
  const [links, qdiscs] = await Promise.all([
    ip.run(['-j', '-d', 'link', 'show']),
    tc.run(['-j', 'qdisc', 'show']),
  ]);
  const base = parseBridgeLinks(links, qdiscs);
  const filters: BridgeMirrorFacts['filters'] = [];
  for (const dev of base.clsact)
    for (const dir of ['ingress', 'egress'] as const) {
      // The device may vanish meanwhile (a VM stopping): then it has no filters either.
      const out = await tc.run(['-j', 'filter', 'show', 'dev', dev, dir]).catch(() => '[]');
      const targets = parseMirrorFilters(out);
      if (targets.length) filters.push({ dev, dir, targets });
    }
  const steps = planBridgeMirrors({ ...base, filters });
  // Each step is tried: a port vanishing meanwhile must not keep the others unmirrored.
  const errors: string[] = [];
  for (const s of steps)
    await (s.tool === 'tc' ? tc : bridge).run(s.args).catch((e: Error) => errors.push(e.message));
  if (errors.length) throw new Error(errors.join('; '));
  return steps;
}
