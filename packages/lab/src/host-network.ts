import { access } from 'node:fs/promises';
import { HostLayout, LabConfig } from './lab-config';
import { run, runOrThrow } from './process-runner';

export async function linkExists(name: string): Promise<boolean> {
  return (await run('ip', ['link', 'show', 'dev', name])).code === 0;
}

export async function netnsExists(netns: string): Promise<boolean> {
  return access(`/run/netns/${netns}`).then(
    () => true,
    () => false,
  );
}

export async function listNetns(): Promise<string[]> {
  const out = await run('ip', ['-j', 'netns', 'list']);
  if (out.code !== 0 || !out.stdout.trim()) return [];
  return (JSON.parse(out.stdout) as { name: string }[]).map((n) => n.name);
}

export async function listLinks(): Promise<string[]> {
  const out = await runOrThrow('ip', ['-j', 'link', 'show']);
  return (JSON.parse(out) as { ifname: string }[]).map((l) => l.ifname);
}

/** The root-namespace bridge `<lab>br0` with 10.<x>.0.1/24. */
export async function ensureLabBridge(config: LabConfig): Promise<void> {
  if (!(await linkExists(config.bridge))) {
    await runOrThrow('ip', ['link', 'add', config.bridge, 'type', 'bridge', 'forward_delay', '0']);
  }
  await runOrThrow('ip', ['addr', 'replace', `${config.bridgeIp}/24`, 'dev', config.bridge]);
  await runOrThrow('ip', ['link', 'set', config.bridge, 'up']);
  if (!(await linkExists(config.trunkBridge)))
    await runOrThrow('ip', ['link', 'add', config.trunkBridge, 'type', 'bridge', 'forward_delay', '0']);
  await runOrThrow('ip', ['link', 'set', config.trunkBridge, 'up']);
}

export async function removeLabBridge(config: LabConfig): Promise<void> {
  if (await linkExists(config.bridge)) await run('ip', ['link', 'del', config.bridge]);
  if (await linkExists(config.trunkBridge)) await run('ip', ['link', 'del', config.trunkBridge]);
}

/**
 * Namespace `<lab>-h<i>`: veth `<lab>-h<i>` (root, in the lab bridge) ↔ `eth0` (inside, in bridge
 * `br0` that carries the host address, so bridged guest NICs share the lab L2), loopback up,
 * default route via the lab bridge. A second NIC `eth1` (down, no address) is a veth whose other end
 * `<lab>-h<i>b` is in the lab's second bridge: what host network setup puts networks on. With
 * `trunkNics: 2` a third NIC `eth2` (`<lab>-h<i>c`) joins the same bridge: two real links for a bond.
 */
export async function createHostNetwork(config: LabConfig, host: HostLayout): Promise<void> {
  const inNs = (...args: string[]): Promise<string> => runOrThrow('ip', ['-n', host.netns, ...args]);
  await runOrThrow('ip', ['netns', 'add', host.netns]);
  await runOrThrow('ip', [
    'link',
    'add',
    host.veth,
    'type',
    'veth',
    'peer',
    'name',
    'eth0',
    'netns',
    host.netns,
  ]);
  await runOrThrow('ip', ['link', 'set', host.veth, 'master', config.bridge, 'up']);
  await inNs('link', 'set', 'lo', 'up');
  await inNs('link', 'add', 'br0', 'type', 'bridge', 'forward_delay', '0');
  await inNs('link', 'set', 'eth0', 'master', 'br0', 'up');
  await inNs('addr', 'add', `${host.ip}/24`, 'dev', 'br0');
  await inNs('link', 'set', 'br0', 'up');
  await inNs('route', 'add', 'default', 'via', config.bridgeIp);
  const trunks: [string, string][] = [[host.trunkVeth, 'eth1']];
  if (config.trunkNics === 2) trunks.push([host.trunkVeth2, 'eth2']);
  for (const [outside, inside] of trunks) {
    await runOrThrow('ip', [
      'link',
      'add',
      outside,
      'type',
      'veth',
      'peer',
      'name',
      inside,
      'netns',
      host.netns,
    ]);
    await runOrThrow('ip', ['link', 'set', outside, 'master', config.trunkBridge, 'up']);
  }
}

export async function netnsPids(netns: string): Promise<number[]> {
  if (!(await netnsExists(netns))) return [];
  const out = await run('ip', ['netns', 'pids', netns]);
  return out.stdout
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

export async function removeHostNetwork(host: HostLayout): Promise<void> {
  if (await netnsExists(host.netns)) await run('ip', ['netns', 'del', host.netns]);
  if (await linkExists(host.veth)) await run('ip', ['link', 'del', host.veth]);
  for (const veth of [host.trunkVeth, host.trunkVeth2])
    if (await linkExists(veth)) await run('ip', ['link', 'del', veth]);
}
