import { join } from 'node:path';

export interface ForwardSpec {
  /** Port opened on the lab bridge address (10.<subnet>.0.1). */
  port: number;
  /** Where connections go in the root namespace (default 127.0.0.1:<port>). */
  targetHost?: string;
  targetPort?: number;
}

export interface LabOptions {
  /** Short lab name, [a-z0-9]{1,4} (default `kl`). Prefixes every namespace and link. */
  name?: string;
  /** Third octet of 10.<subnet>.0.0/24 (default 77). */
  subnet?: number;
  /** Default /var/lib/kelpie-lab/<name>. */
  stateDir?: string;
  /** Root-namespace services made reachable on the bridge address (default Redis 6379). */
  forwards?: ForwardSpec[];
  /** Each host also runs its own Open vSwitch (ovsdb-server + ovs-vswitchd, user-space datapath). */
  openvswitch?: boolean;
  /** NICs each host has on the trunk bridge: 1 (`eth1`, default) or 2 (`eth1` and `eth2`, the two
   * real links a bond is built of). */
  trunkNics?: 1 | 2;
  /** Each host defines the `kelpie-shared` dir pool on the shared directory (default). The devstack
   * says no: its storage domain's pool serves that directory, and libvirt allows one pool per directory. */
  sharedPool?: boolean;
  /** Hosts use libvirt's lock manager (virtlockd, lockspace shared by the lab's hosts): a second QEMU
   * for a disk another host holds is refused. Off by default: libvirt 9.0's lockd leaves a guest
   * paused after its own ACPI reboot or shutdown (the resume cannot re-acquire the lease), which
   * breaks every test that reboots a guest. */
  lockManager?: boolean;
  /** Hosts reach the shared directory over their own link (sshfs to an SFTP server in the root
   * namespace), as real hosts reach shared storage: a host whose link is down can no longer write
   * it. Default: the local directory, seen by every host at the same path. */
  networkStorage?: boolean;
}

export interface LabConfig {
  name: string;
  subnet: number;
  stateDir: string;
  sharedDir: string;
  /** virtlockd's indirect lockspace (one lease file per disk path), seen by every host of the lab
   * like a directory on shared storage: a disk's lease is the same file wherever it is opened. */
  lockspaceDir: string;
  lockManager: boolean;
  networkStorage: boolean;
  bridge: string;
  /** Second root-namespace bridge joining every host's second NIC (eth1): a plain L2 segment. */
  trunkBridge: string;
  bridgeIp: string;
  forwards: Required<ForwardSpec>[];
  openvswitch: boolean;
  trunkNics: 1 | 2;
  sharedPool: boolean;
}

export const DEFAULT_LAB_NAME = 'kl';
export const DEFAULT_SUBNET = 77;
export const MAX_HOSTS = 99;
export const SHARED_POOL_NAME = 'kelpie-shared';

export function resolveLabConfig(options: LabOptions = {}): LabConfig {
  const name = options.name ?? DEFAULT_LAB_NAME;
  if (!/^[a-z0-9]{1,4}$/.test(name))
    throw new Error(`lab name must match [a-z0-9]{1,4}: ${JSON.stringify(name)}`);
  const subnet = options.subnet ?? DEFAULT_SUBNET;
  if (!Number.isInteger(subnet) || subnet < 0 || subnet > 255)
    throw new Error(`subnet octet must be 0..255: ${subnet}`);
  const stateDir = options.stateDir ?? join('/var/lib/kelpie-lab', name);
  const forwards = (options.forwards ?? [{ port: 6379 }]).map((f) => ({
    port: f.port,
    targetHost: f.targetHost ?? '127.0.0.1',
    targetPort: f.targetPort ?? f.port,
  }));
  return {
    name,
    subnet,
    stateDir,
    sharedDir: join(stateDir, 'shared'),
    lockspaceDir: join(stateDir, 'lockspace'),
    bridge: `${name}br0`,
    trunkBridge: `${name}br1`,
    bridgeIp: `10.${subnet}.0.1`,
    forwards,
    openvswitch: options.openvswitch ?? false,
    trunkNics: options.trunkNics ?? 1,
    sharedPool: options.sharedPool ?? true,
    lockManager: options.lockManager ?? false,
    networkStorage: options.networkStorage ?? false,
  };
}

/** Names and addresses of lab host number `index` (1-based). */
export interface HostLayout {
  /** `h<index>` */
  name: string;
  index: number;
  /** Network namespace, also the root-namespace end of its veth: `<lab>-h<index>`. */
  netns: string;
  veth: string;
  /** Root-namespace end of the host's second NIC (`eth1` inside): `<lab>-h<index>b`. */
  trunkVeth: string;
  /** Root-namespace end of the host's third NIC (`eth2` inside, with `trunkNics: 2`): `<lab>-h<index>c`. */
  trunkVeth2: string;
  /** 10.<subnet>.0.1<index> */
  ip: string;
  uri: string;
  dir: string;
  pidDir: string;
}

export function hostLayout(config: LabConfig, index: number): HostLayout {
  if (!Number.isInteger(index) || index < 1 || index > MAX_HOSTS)
    throw new Error(`host index must be 1..${MAX_HOSTS}: ${index}`);
  const name = `h${index}`;
  const netns = `${config.name}-${name}`;
  const ip = `10.${config.subnet}.0.1${index}`;
  const dir = join(config.stateDir, 'hosts', name);
  return {
    name,
    index,
    netns,
    veth: netns,
    trunkVeth: `${netns}b`,
    trunkVeth2: `${netns}c`,
    ip,
    uri: `qemu+tcp://${ip}/system`,
    dir,
    pidDir: join(dir, 'pids'),
  };
}

/** `h3`, `3` or 3 → 3 */
export function parseHostRef(host: string | number): number {
  const match = /^h?(\d+)$/.exec(String(host));
  if (!match) throw new Error(`not a lab host: ${host}`);
  return Number(match[1]);
}

/** Matches this lab's namespaces/links (`<lab>-h<n>`) and nothing of another lab. */
export function hostNamePattern(config: LabConfig): RegExp {
  return new RegExp(`^${config.name}-h(\\d+)$`);
}
