import type { HostBond, HostBridge, HostNic, NetworkAttachmentSpec } from '@kelpie/shared-types';
import { readFile, readlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { isNic, type Link } from './links';
import { ovsUplinkOf } from './ovs-plan';
import type { OvsBridge } from './ovs-state';

/** NICs and bridges as reported to the engine, from the links plus what sysfs adds (speed, driver). */
export async function describeLinks(
  links: readonly Link[],
  applied: readonly NetworkAttachmentSpec[],
  ovs: readonly OvsBridge[] = [],
  sysfs = '/sys/class/net',
): Promise<{ nics: HostNic[]; bridges: HostBridge[]; bonds: HostBond[] }> {
  const realOvs = ovs.filter((b) => !b.parent);
  const nics = await Promise.all(
    links.filter(isNic).map(async (l): Promise<HostNic> => ({
      name: l.name,
      mac: l.mac,
      state: l.operstate,
      carrier: l.carrier,
      speedMbps: await speed(sysfs, l.name),
      mtu: l.mtu,
      addresses: l.addresses,
      driver: (await driver(sysfs, l.name)) ?? l.kind,
      bridge:
        links.find((b) => b.name === l.master && b.kind === 'bridge')?.name ??
        realOvs.find((b) => b.ports.includes(l.name))?.name ??
        realOvs.find((b) => b.bonds?.some((x) => x.members.includes(l.name)))?.name ??
        null,
    })),
  );
  const bridges = links
    .filter((l) => l.kind === 'bridge')
    .map((b): HostBridge => ({
      name: b.name,
      mtu: b.mtu,
      state: b.operstate,
      addresses: b.addresses,
      ports: links.filter((p) => p.master === b.name).map((p) => p.name),
      managed: applied.some((a) => a.bridge === b.name && a.switchType !== 'ovs'),
      switchType: 'linux_bridge' as const,
      parent: null,
      vlanId: null,
    }));
  const linkOf = (name: string) => links.find((l) => l.name === name);
  const ovsBridges = ovs.map((b): HostBridge => ({
    name: b.name,
    mtu: linkOf(b.name)?.mtu ?? 1500,
    state: linkOf(b.name)?.operstate ?? 'unknown',
    addresses: linkOf(b.name)?.addresses ?? [],
    ports: b.ports,
    managed: applied.some(
      (a) => a.switchType === 'ovs' && (a.bridge === b.name || ovsUplinkOf(a.nic) === b.name),
    ),
    switchType: 'ovs',
    parent: b.parent,
    vlanId: b.vlanId,
  }));
  const bonds: HostBond[] = [
    ...links
      .filter((l) => l.kind === 'bond')
      .map((b) => ({
        name: b.name,
        members: links.filter((m) => m.master === b.name).map((m) => m.name),
        mode: b.bondMode ?? null,
        switchType: 'linux_bridge' as const,
        bridge: null,
      })),
    ...realOvs.flatMap((br) =>
      (br.bonds ?? []).map((b) => ({ ...b, switchType: 'ovs' as const, bridge: br.name })),
    ),
  ];
  return { nics, bridges: [...bridges, ...ovsBridges], bonds };
}

/** The kernel answers EINVAL (or -1) for links without a negotiated speed. */
async function speed(sysfs: string, name: string): Promise<number | null> {
  const raw = await readFile(`${sysfs}/${name}/speed`, 'utf8').catch(() => '');
  const n = Number.parseInt(raw.trim(), 10);
  return Number.isInteger(n) && n > 0 ? n : null;
}

async function driver(sysfs: string, name: string): Promise<string | null> {
  return readlink(`${sysfs}/${name}/device/driver`).then(basename, () => null);
}
