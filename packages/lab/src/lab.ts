import { CephCluster } from './ceph';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BmcCall, bmcDir, BmcOptions, bmcRole, LabBmc, readBmcCalls, startBmc, waitForUdpPort } from './bmc';
import { ensureDebianPackages, LAB_DEBIAN_PACKAGES } from './debian-packages';
import { forwarderArgv, forwarderRole, startForwarder } from './forwarder';
import {
  HostLayout,
  hostLayout,
  hostNamePattern,
  LabConfig,
  LabOptions,
  parseHostRef,
  resolveLabConfig,
} from './lab-config';
import { LabState, readLabState, RecordedProcess, updateLabState } from './lab-state';
import {
  hasCapabilityProbe,
  prepareHostDirs,
  saveCapabilityCacheFrom,
  CAPABILITY_CACHE_TEMPLATE,
} from './host-libvirt-config';
import {
  hostAnchorPid,
  liveDaemonPids,
  restartHostLibvirtd,
  spawnDetachedInHost,
  startHostDaemons,
  startLibvirtdBeside,
  stopLibvirtd,
  waitForLibvirtd,
} from './host-daemons';
import {
  createHostNetwork,
  ensureLabBridge,
  linkExists,
  listLinks,
  listNetns,
  netnsExists,
  netnsPids,
  removeHostNetwork,
  removeLabBridge,
} from './host-network';
import {
  ensureHostSshd,
  hostKeyFingerprint,
  LabSshAccess,
  labSshAccess,
  newHostKey,
  prepareHostSsh,
} from './host-sshd';
import { commandLine, isAlive, killAndWait } from './processes';
import { run, RunResult } from './process-runner';
import { mountSharedDir, sftpRole, sftpServerArgv, waitForTcpPort, sftpPort } from './network-storage';
import { ensureSharedPool, removeSharedPool } from './shared-pool';
import { listDomains, virsh, virshOrThrow } from './virsh';

export interface HostStatus {
  name: string;
  index: number;
  netns: string;
  ip: string;
  uri: string;
  libvirtdAlive: boolean;
  libvirtdPid?: number;
  virtlogdPid?: number;
  agentPid?: number;
}

export interface LabStatus {
  name: string;
  subnet: number;
  bridge: string;
  bridgeIp: string;
  stateDir: string;
  sharedDir: string;
  hosts: HostStatus[];
  forwarders: { listen: string; target: string; pid?: number; alive: boolean }[];
}

export interface UpOptions {
  /** Install missing Debian packages first (default true). */
  installPackages?: boolean;
  /** Take down what an earlier run of this lab left first, its guests' definitions included (tests and
   * benchmarks: a killed run's persistent domains would come back as external VMs). */
  fresh?: boolean;
  log?: (line: string) => void;
}

export interface SpawnInHostOptions {
  env?: Record<string, string>;
  /** Appended stdout+stderr; default: discarded. */
  logFile?: string;
  /** Recorded role, e.g. `agent` (default `process`). */
  role?: string;
  /** Start it again whenever the host boots (power on through its BMC): e.g. the host's agent. */
  startAtBoot?: boolean;
}

export interface StartAgentsOptions {
  /** e.g. apps/agent/dist/main.js */
  agentEntry: string;
  env: (host: HostStatus) => Record<string, string>;
  nodeBinary?: string;
}

type HostRef = string | number;

/** Several real libvirt "hosts" on one machine: network + mount namespaces with their own daemons. */
export class Lab {
  readonly config: LabConfig;

  constructor(options: LabOptions = {}) {
    this.config = resolveLabConfig(options);
  }

  /** A Lab whose subnet, when not given, is the one its state file recorded (for status/down of a running lab). */
  static async open(options: LabOptions = {}): Promise<Lab> {
    if (options.subnet !== undefined) return new Lab(options);
    const state = await readLabState(resolveLabConfig(options).stateDir);
    return new Lab({ ...options, subnet: state?.subnet });
  }

  host(ref: HostRef): HostLayout {
    return hostLayout(this.config, parseHostRef(ref));
  }

  /** Brings hosts h1..hN up (idempotent; repairs leftovers of a killed run). Resolves when every libvirtd answers. */
  async up(count: number, options: UpOptions = {}): Promise<LabStatus> {
    const log = options.log ?? (() => undefined);
    assertRoot();
    if (options.fresh) await this.down({ log });
    if (options.installPackages !== false) {
      const installed = await ensureDebianPackages(
        this.config.openvswitch ? [...LAB_DEBIAN_PACKAGES, 'openvswitch-switch'] : LAB_DEBIAN_PACKAGES,
      );
      if (installed.length) log(`installed ${installed.join(' ')}`);
    }
    const hosts = Array.from({ length: count }, (_, i) => this.host(i + 1));
    await mkdir(this.config.sharedDir, { recursive: true, mode: 0o755 });
    await this.updateState((s) => {
      s.hosts = [...new Set([...s.hosts, ...hosts.map((h) => h.name)])].sort(byHostIndex);
    });
    await ensureLabBridge(this.config);
    await labSshAccess(this.config); // once, before the hosts (made in parallel) authorize its key
    if (this.config.networkStorage) for (const h of hosts) await this.ensureSftpServer(h);
    // Without a saved QEMU capability probe, let the first host make one that the others then reuse.
    const [first, ...rest] = hosts;
    if (first && !(await hasCapabilityProbe(CAPABILITY_CACHE_TEMPLATE))) {
      await this.ensureHost(first, log);
      await saveCapabilityCacheFrom(first);
      await Promise.all(rest.map((h) => this.ensureHost(h, log)));
    } else {
      await Promise.all(hosts.map((h) => this.ensureHost(h, log)));
    }
    await this.ensureForwarders(log);
    return this.status();
  }

  private async ensureHost(host: HostLayout, log: (line: string) => void): Promise<void> {
    const started = Date.now();
    const networkOk = (await netnsExists(host.netns)) && (await linkExists(host.veth));
    const daemons = networkOk ? await liveDaemonPids(host) : {};
    if (networkOk && daemons.libvirtd && daemons.virtlogd) {
      log(`${host.name}: already up (libvirtd ${daemons.libvirtd})`);
    } else if (networkOk && daemons.virtlogd) {
      log(`${host.name}: libvirtd gone, starting it again beside virtlogd ${daemons.virtlogd}`);
      await prepareHostDirs(host, this.config.lockManager ? this.config.lockspaceDir : null);
      await startLibvirtdBeside(host, daemons.virtlogd);
    } else {
      if (networkOk || (await netnsExists(host.netns)) || (await linkExists(host.veth))) {
        log(`${host.name}: repairing leftovers`);
      }
      await this.teardownHostProcessesAndNetwork(host);
      // A boot starts with an empty /run (a tmpfs on real hosts): libvirtd must not find the state
      // files of domains that died with the host and list them as running again.
      await rm(join(host.dir, 'run-libvirt'), { recursive: true, force: true });
      await createHostNetwork(this.config, host);
      await prepareHostDirs(host, this.config.lockManager ? this.config.lockspaceDir : null);
      await startHostDaemons(host, this.config.openvswitch);
    }
    await waitForLibvirtd(host);
    if (this.config.networkStorage) await mountSharedDir(this.config, host, (await hostAnchorPid(host))!);
    await prepareHostSsh(this.config, host);
    await ensureHostSshd(host, (await hostAnchorPid(host))!);
    // libvirt probes QEMU lazily on first use (~8 s without a saved probe): do it now so the host is really ready.
    await virshOrThrow(host.uri, ['capabilities'], 120000);
    if (this.config.sharedPool) await ensureSharedPool(host, this.config.sharedDir);
    else await removeSharedPool(host);
    log(`${host.name}: ${host.uri} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  /** The root-namespace end of the host's network storage: outside the host, so it outlives it. */
  private async ensureSftpServer(host: HostLayout): Promise<void> {
    const role = sftpRole(host);
    const existing = (await this.state()).processes.find((p) => p.role === role && !p.host);
    if (existing && (await isRecordedProcessAlive(existing))) return;
    const argv = sftpServerArgv(this.config, host);
    const pid = startForwarder(argv);
    await this.updateState((s) => {
      s.processes = s.processes.filter((p) => !(p.role === role && !p.host));
      s.processes.push({ pid, argv, role, startedAt: new Date().toISOString() });
    });
    await waitForTcpPort(sftpPort(host));
  }

  private async ensureForwarders(log: (line: string) => void): Promise<void> {
    for (const forward of this.config.forwards) {
      const role = forwarderRole(forward);
      const argv = forwarderArgv(this.config, forward);
      const state = await this.state();
      const existing = state.processes.find((p) => p.role === role && !p.host);
      if (existing && (await isRecordedProcessAlive(existing))) continue;
      const pid = startForwarder(argv);
      await this.updateState((s) => {
        s.processes = s.processes.filter((p) => !(p.role === role && !p.host));
        s.processes.push({ pid, argv, role, startedAt: new Date().toISOString() });
      });
      log(
        `forwarding ${this.config.bridgeIp}:${forward.port} → ${forward.targetHost}:${forward.targetPort} (socat ${pid})`,
      );
    }
  }

  /** Removes everything this lab made (and nothing else), even from a partial or killed run. */
  /** Removes every host, process and file of the lab; `keepSharedStorage` keeps the shared directory
   * (the VM disks on it) so a later `up` finds them again. */
  async down(options: { log?: (line: string) => void; keepSharedStorage?: boolean } = {}): Promise<void> {
    const log = options.log ?? (() => undefined);
    const state = await readLabState(this.config.stateDir);
    const pattern = hostNamePattern(this.config);
    const indexes = new Set<number>();
    for (const name of state?.hosts ?? []) indexes.add(parseHostRef(name));
    for (const ns of await listNetns()) {
      const m = pattern.exec(ns);
      if (m) indexes.add(Number(m[1]));
    }
    for (const link of await listLinks()) {
      const m = pattern.exec(link);
      if (m) indexes.add(Number(m[1]));
    }
    const hosts = [...indexes].sort((a, b) => a - b).map((i) => this.host(i));
    await Promise.all(hosts.map((h) => this.destroyDomains(h, log)));
    const recorded = (state?.processes ?? []).filter(
      (p) =>
        p.host || p.role.startsWith('forward:') || p.role.startsWith('bmc:') || p.role.startsWith('storage:'),
    );
    const alive = [];
    for (const p of recorded) if (await isRecordedProcessAlive(p)) alive.push(p.pid);
    await killAndWait(alive);
    // Ceph listens on the bridge address: its daemons go before the bridge (their files with the state).
    await this.ceph().stop();
    await Promise.all(hosts.map((h) => this.teardownHostProcessesAndNetwork(h)));
    await removeLabBridge(this.config);
    if (options.keepSharedStorage) {
      await removeAllBut(this.config.stateDir, [
        this.config.sharedDir,
        join(this.config.stateDir, 'ssh-access'),
        join(this.config.stateDir, 'hosts'),
      ]);
      // Like machines that are powered off: their SSH identity stays, so pinned host keys still match.
      for (const h of hosts) await removeAllBut(h.dir, [join(h.dir, 'etc-ssh')]);
      log(
        `lab ${this.config.name} is down (${hosts.length} hosts removed; ${this.config.sharedDir} and the hosts' SSH keys kept)`,
      );
      return;
    }
    await rm(this.config.stateDir, { recursive: true, force: true });
    log(`lab ${this.config.name} is down (${hosts.length} hosts removed)`);
  }

  /** The lab's single-node Ceph cluster (root namespace, on the bridge address, files under the
   * lab's state directory): `up()` creates or restarts it, `down` stops it. */
  ceph(): CephCluster {
    return new CephCluster({
      address: this.config.bridgeIp,
      network: `${this.config.bridgeIp.replace(/\.\d+$/, '.0')}/24`,
      dir: join(this.config.stateDir, 'ceph'),
    });
  }

  private async destroyDomains(host: HostLayout, log: (line: string) => void): Promise<void> {
    if (!(await liveDaemonPids(host)).libvirtd) return;
    const running = await listDomains(host.uri).catch(() => [] as string[]);
    for (const domain of running) {
      const result = await virsh(host.uri, ['destroy', domain], 15000);
      log(`${host.name}: destroy ${domain} → ${result.code === 0 ? 'ok' : result.stderr.trim()}`);
    }
  }

  /** Kills every process in the host's namespace (daemons, guests, agents), then removes the namespace and veth. */
  private async teardownHostProcessesAndNetwork(host: HostLayout): Promise<void> {
    await killEveryHostProcess(host, 3000, 'SIGTERM');
    await removeHostNetwork(host);
    await rm(host.pidDir, { recursive: true, force: true });
  }

  async status(): Promise<LabStatus> {
    const state = await this.state();
    const hosts: HostStatus[] = [];
    for (const name of state.hosts) {
      const host = this.host(name);
      const pids = (await netnsExists(host.netns)) ? await liveDaemonPids(host) : {};
      const agent = await this.liveRecorded(state, host.name, 'agent');
      hosts.push({
        name: host.name,
        index: host.index,
        netns: host.netns,
        ip: host.ip,
        uri: host.uri,
        libvirtdAlive: !!pids.libvirtd,
        libvirtdPid: pids.libvirtd,
        virtlogdPid: pids.virtlogd,
        agentPid: agent?.pid,
      });
    }
    const forwarders = [];
    for (const forward of this.config.forwards) {
      const recorded = state.processes.find((p) => p.role === forwarderRole(forward) && !p.host);
      forwarders.push({
        listen: `${this.config.bridgeIp}:${forward.port}`,
        target: `${forward.targetHost}:${forward.targetPort}`,
        pid: recorded?.pid,
        alive: !!recorded && (await isRecordedProcessAlive(recorded)),
      });
    }
    const { name, subnet, bridge, bridgeIp, stateDir, sharedDir } = this.config;
    return { name, subnet, bridge, bridgeIp, stateDir, sharedDir, hosts, forwarders };
  }

  /** Starts a long-running process inside the host (network + mount namespaces), detached; `down` kills it. */
  async spawnInHost(
    ref: HostRef,
    argv: readonly string[],
    options: SpawnInHostOptions = {},
  ): Promise<number> {
    const host = this.host(ref);
    const anchor = await hostAnchorPid(host);
    if (!anchor) throw new Error(`${host.name} is not up`);
    let fd: number | 'ignore' = 'ignore';
    if (options.logFile) {
      await mkdir(join(options.logFile, '..'), { recursive: true });
      fd = openSync(options.logFile, 'a');
    }
    try {
      const pid = spawnDetachedInHost(anchor, argv, { ...process.env, ...options.env }, fd);
      await this.updateState((s) => {
        s.processes.push({
          pid,
          argv: [...argv],
          host: host.name,
          role: options.role ?? 'process',
          logFile: options.logFile,
          startedAt: new Date().toISOString(),
        });
        if (options.startAtBoot) {
          const role = options.role ?? 'process';
          s.boot = (s.boot ?? []).filter((b) => !(b.host === host.name && b.role === role));
          s.boot.push({
            host: host.name,
            argv: [...argv],
            env: options.env ?? {},
            role,
            logFile: options.logFile,
          });
        }
      });
      return pid;
    } finally {
      if (typeof fd === 'number') closeSync(fd);
    }
  }

  /** Runs a short command inside the host and returns its output. */
  async execInHost(
    ref: HostRef,
    argv: readonly string[],
    options: { timeoutMs?: number; input?: string } = {},
  ): Promise<RunResult> {
    const host = this.host(ref);
    const anchor = await hostAnchorPid(host);
    if (!anchor) throw new Error(`${host.name} is not up`);
    return run('nsenter', ['-t', String(anchor), '-m', '-n', '--', ...argv], {
      timeoutMs: options.timeoutMs ?? 60000,
      input: options.input,
    });
  }

  /** One agent per host (`node <agentEntry>` with env(host)); hosts whose agent is alive are skipped. */
  async startAgents(options: StartAgentsOptions): Promise<{ host: string; pid: number; started: boolean }[]> {
    const results = [];
    for (const host of (await this.status()).hosts) {
      if (host.agentPid) {
        results.push({ host: host.name, pid: host.agentPid, started: false });
        continue;
      }
      const layout = this.host(host.name);
      const pid = await this.spawnInHost(
        host.name,
        [options.nodeBinary ?? process.execPath, options.agentEntry],
        {
          env: options.env(host),
          logFile: join(layout.dir, 'agent.log'),
          role: 'agent',
        },
      );
      results.push({ host: host.name, pid, started: true });
    }
    return results;
  }

  /** Stops the host's agent (SIGTERM, SIGKILL after graceMs) and forgets it. */
  async stopAgent(ref: HostRef, graceMs = 10000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const host = this.host(ref);
    const agent = await this.liveRecorded(await this.state(), host.name, 'agent');
    if (agent) await killAndWait([agent.pid], graceMs, signal);
    await this.updateState((s) => {
      s.processes = s.processes.filter((p) => !(p.host === host.name && p.role === 'agent'));
    });
  }

  /** SIGKILL the host's agent (crash simulation). */
  killAgent(ref: HostRef): Promise<void> {
    return this.stopAgent(ref, 0, 'SIGKILL');
  }

  /** A host losing power, as far as its software can tell: every process in its namespace (agent,
   * libvirtd, virtlogd, sshd, QEMU guests) is SIGKILLed at once, nothing shuts down cleanly. Its
   * namespace and files stay; `down` removes them. */
  async crashHost(ref: HostRef): Promise<void> {
    const host = this.host(ref);
    await killEveryHostProcess(host, 0, 'SIGKILL');
    await this.updateState((s) => {
      s.processes = s.processes.filter((p) => p.host !== host.name);
    });
  }

  /** The host boots again after a power loss (crashHost or its BMC's power off): namespaces, virtlogd,
   * libvirtd, sshd, then the processes registered with `startAtBoot` (its agent). */
  async powerOnHost(ref: HostRef, options: { log?: (line: string) => void } = {}): Promise<void> {
    const host = this.host(ref);
    await this.ensureHost(host, options.log ?? (() => undefined));
    for (const b of (await this.state()).boot ?? [])
      if (b.host === host.name)
        await this.spawnInHost(host.name, b.argv, { env: b.env, role: b.role, logFile: b.logFile });
  }

  /** Starts a simulated BMC for the host (ipmi_sim in the root namespace, on the lab bridge's address):
   * IPMI power off/on really stop and boot the host. Idempotent; `down` stops it. */
  async startBmc(
    ref: HostRef,
    options: BmcOptions,
    log: (line: string) => void = () => undefined,
  ): Promise<LabBmc> {
    const host = this.host(ref);
    const prepared = await startBmc(this.config, host, options, log);
    const { spawn: start, argv, ...bmc } = prepared;
    const running = await this.liveRecorded(await this.state(), '', bmcRole(host));
    if (running) await killAndWait([running.pid]);
    const pid = start();
    await this.updateState((s) => {
      s.processes = s.processes.filter((p) => p.role !== bmcRole(host));
      s.processes.push({ pid, argv, role: bmcRole(host), startedAt: new Date().toISOString() });
    });
    await waitForUdpPort(options.port);
    return { ...bmc, pid };
  }

  /** The host's BMC loses power too (with its host, in a total power loss): its ipmi_sim is killed and
   * no longer answers. `startBmc` brings it back. */
  async stopBmc(ref: HostRef): Promise<void> {
    const host = this.host(ref);
    const running = await this.liveRecorded(await this.state(), '', bmcRole(host));
    if (running) await killAndWait([running.pid], 0, 'SIGKILL');
    await this.updateState((s) => {
      s.processes = s.processes.filter((p) => p.role !== bmcRole(host));
    });
  }

  /** Every chassis call the host's BMC received (`get power`, `set power 0`…), oldest first. */
  bmcCalls(ref: HostRef): Promise<BmcCall[]> {
    return readBmcCalls(bmcDir(this.config, this.host(ref)));
  }

  /** Root login to every host of the lab over SSH (port 22 on the host's address): password or key. */
  sshAccess(): Promise<LabSshAccess> {
    return labSshAccess(this.config);
  }

  /** SHA256 fingerprint of the host's SSH key, as `ssh-keygen -l` prints it. */
  hostKeyFingerprint(ref: HostRef): Promise<string> {
    return hostKeyFingerprint(this.host(ref));
  }

  /** Gives the host a new SSH key (a reinstalled machine, as far as SSH can tell); returns its fingerprint. */
  changeHostKey(ref: HostRef): Promise<string> {
    return newHostKey(this.host(ref));
  }

  /** Stops the host's libvirtd (a host without libvirt running); `up` starts it again. */
  stopLibvirtd(ref: HostRef): Promise<void> {
    return stopLibvirtd(this.host(ref));
  }

  /** Kill and start libvirtd again in the same namespaces; running guests survive. */
  restartLibvirtd(ref: HostRef): Promise<void> {
    return restartHostLibvirtd(this.host(ref));
  }

  private async liveRecorded(
    state: LabState,
    host: string,
    role: string,
  ): Promise<RecordedProcess | undefined> {
    for (const p of state.processes.filter((r) => (r.host ?? '') === host && r.role === role).reverse()) {
      if (await isRecordedProcessAlive(p)) return p;
    }
    return undefined;
  }

  private async state(): Promise<LabState> {
    return (await readLabState(this.config.stateDir)) ?? this.initialState();
  }

  private initialState(): LabState {
    return { name: this.config.name, subnet: this.config.subnet, hosts: [], processes: [] };
  }

  private updateState(change: (state: LabState) => void): Promise<LabState> {
    return updateLabState(this.config.stateDir, () => this.initialState(), change);
  }
}

/** Alive and still the same program (guards against pid reuse). */
async function isRecordedProcessAlive(p: RecordedProcess): Promise<boolean> {
  if (!(await isAlive(p.pid))) return false;
  const cmd = await commandLine(p.pid);
  const program = p.argv[p.argv.length > 1 && p.argv[0].endsWith('node') ? 1 : 0];
  return (
    cmd.some((arg) => arg === program || arg.endsWith(`/${program}`)) ||
    cmd.join(' ').includes(p.argv.join(' '))
  );
}

async function removeAllBut(dir: string, keep: string[]): Promise<void> {
  for (const entry of await readdir(dir).catch(() => [] as string[]))
    if (!keep.includes(join(dir, entry))) await rm(join(dir, entry), { recursive: true, force: true });
}

function byHostIndex(a: string, b: string): number {
  return parseHostRef(a) - parseHostRef(b);
}

function assertRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (namespaces, bridges, daemons)');
}

/** Every process in the host's namespace and its daemons (whose pid files may outlive the namespace's
 * listing), until none is left: `first`, then SIGKILL after graceMs. */
async function killEveryHostProcess(host: HostLayout, graceMs: number, first: NodeJS.Signals): Promise<void> {
  const daemons = await liveDaemonPids(host);
  for (let attempt = 0; attempt < 5; attempt++) {
    const pids = [
      ...(await netnsPids(host.netns)),
      ...[daemons.libvirtd, daemons.virtlogd, daemons.virtlockd].filter((p): p is number => !!p),
    ];
    if (pids.length === 0) break;
    await killAndWait(pids, graceMs, first);
  }
}
