import type {
  BondSpec,
  HostNetworkState,
  NetworkAttachmentSpec,
  NetworkSetupOutcome,
} from '@kelpie/shared-types';
import { spawn, type ChildProcess } from 'node:child_process';
import { AgentError } from '../../errors/agent-error';
import type { Logger } from '../../logger';
import { describeLinks } from './host-state';
import type { IpRunner } from './ip-runner';
import { parseDefaultRoutes, parseLinks, type LinkSnapshot } from './links';
import type { AppliedSetup, NetworkStore, PendingSetup } from './network-store';
import { ipSteps, isOvs, planOvsApply, type NetworkStep } from './ovs-plan';
import { readOvsBridges, OVS_VSCTL_TIMEOUT, type OvsBridge } from './ovs-state';
import { syncBridgeMirrors } from './bridge-port-mirrors';
import { syncPortMirrors } from './port-mirrors';
import { planApply, planRestore, SetupRefused, touchedBy } from './setup-plan';

export interface HostNetworkingOptions {
  /** Full report even without a kernel event (the safety net). */
  refreshMs: number;
  /** Quiet time after a kernel event before reporting (a setup makes dozens of events). */
  debounceMs?: number;
  /** `ip monitor link address`; null: no event streams at all, OVS ones included (unit tests). */
  monitorArgv?: string[] | null;
  /** Open vSwitch networks: `ovs-vsctl` and the datapath of bridges it creates (absent: none). */
  ovs?: { vsctl: IpRunner; datapathType: string } | null;
  /** Port mirroring on Linux bridges: `tc` and `bridge` (absent: not done, unit tests). */
  bridgeMirrors?: { tc: IpRunner; bridge: IpRunner } | null;
}

type Report = (network: HostNetworkState) => Promise<unknown>;

/**
 * The host's networks: reports NICs and bridges (on kernel link/address events and periodically),
 * applies a wanted set of networks as a whole, and keeps it only once the engine confirms it still
 * reaches the host; otherwise it restores the links as they were, by itself (as oVirt's VDSM does).
 * The confirmed setup is persisted and re-applied at start.
 */
export class HostNetworking {
  private timer: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private readonly monitors = new Set<ChildProcess>();
  private stopped = false;
  private lastReported = '';
  private busy = false;
  /** The setup waiting for the engine: confirm() resolves it. */
  private waiting: { checkpoint: string; confirm: () => void } | null = null;

  constructor(
    private readonly ip: IpRunner,
    private readonly store: NetworkStore,
    private readonly report: Report,
    private readonly log: Logger,
    private readonly opts: HostNetworkingOptions,
  ) {}

  async snapshot(): Promise<LinkSnapshot> {
    const [links, routes] = await Promise.all([
      this.ip.run(['-j', '-d', 'addr', 'show']),
      this.ip.run(['-j', 'route', 'show', 'default']),
    ]);
    return { links: parseLinks(links), routes: parseDefaultRoutes(routes) };
  }

  async state(): Promise<HostNetworkState> {
    const [snap, applied, lastSetup, ovs] = await Promise.all([
      this.snapshot(),
      this.store.applied(),
      this.store.lastSetup(),
      this.ovsBridges(),
    ]);
    return {
      ...(await describeLinks(snap.links, applied.attachments, ovs ?? [])),
      attachments: applied.attachments,
      appliedBonds: applied.bonds,
      lastSetup,
    };
  }

  /** The host's OVS bridges; null: no Open vSwitch running here. */
  private async ovsBridges(): Promise<OvsBridge[] | null> {
    return this.opts.ovs ? readOvsBridges(this.opts.ovs.vsctl) : null;
  }

  /** Every command turning the host's networks (`previous`) into `wanted`: Linux bonds and bridges,
   * then OVS. */
  private async plan(wanted: AppliedSetup, previous: AppliedSetup): Promise<NetworkStep[]> {
    const now = await this.snapshot();
    const steps = ipSteps(
      planApply(
        linuxOnly(wanted.attachments),
        linuxOnly(previous.attachments),
        now,
        linuxOnly(wanted.bonds),
        linuxOnly(previous.bonds),
      ),
    );
    return [...steps, ...(await this.planOvs(wanted, previous, now, false))];
  }

  private async planOvs(
    { attachments: wanted, bonds }: AppliedSetup,
    { attachments: previous, bonds: previousBonds }: AppliedSetup,
    now: LinkSnapshot,
    restore: boolean,
  ): Promise<NetworkStep[]> {
    if (![...wanted, ...previous, ...bonds, ...previousBonds].some(isOvs)) return [];
    const bridges = await this.ovsBridges();
    if (!this.opts.ovs || !bridges)
      throw new SetupRefused('Open vSwitch networks need ovs-vswitchd, which is not running on this host');
    const released = new Set([
      ...linuxOnly(previous)
        .filter((p) => !linuxOnly(wanted).some((w) => w.bridge === p.bridge))
        .map((p) => p.bridge),
      ...linuxOnly(previousBonds)
        .filter((p) => !bonds.some((b) => b.name === p.name))
        .map((p) => p.name),
    ]);
    return planOvsApply(wanted, previous, bridges, now, {
      datapathType: this.opts.ovs.datapathType,
      restore,
      released,
      bonds,
      previousBonds,
    });
  }

  /** Rolls back a setup the agent died in the middle of, re-applies the confirmed one, starts reporting. */
  async start(): Promise<void> {
    const pending = await this.store.pending();
    if (pending) {
      const errors = await this.restore(pending);
      await this.finish(
        pending.checkpoint,
        'rolled_back',
        this.restoredReason('the agent restarted before the engine confirmed the setup', errors),
      );
      this.log.warn({ checkpoint: pending.checkpoint }, 'unconfirmed network setup rolled back at start');
    }
    const applied = await this.store.applied();
    if (applied.attachments.length || applied.bonds.length) {
      try {
        const cmds = await this.plan(applied, applied);
        await this.runAll(cmds);
        if (cmds.length) this.log.info({ commands: cmds.length }, 'persisted network setup re-applied');
      } catch (e) {
        this.log.error({ err: (e as Error).message }, 'persisted network setup could not be re-applied');
      }
    }
    this.startMonitors();
    this.timer = setInterval(() => void this.push(true), this.opts.refreshMs);
    await this.push(true);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    for (const m of this.monitors) m.kill('SIGTERM');
  }

  /** Applies `wanted` as the host's whole set of networks; see the class comment. `awaiting` tells the
   * engine the setup is in place (its confirmation can only travel the new paths). */
  async setup(
    checkpoint: string,
    wanted: AppliedSetup,
    timeoutMs: number,
    awaiting: () => Promise<void>,
  ): Promise<NetworkSetupOutcome> {
    if (this.busy)
      throw new AgentError('operation_invalid', 'another network setup is in progress on this host');
    this.busy = true;
    try {
      const previous = await this.store.applied();
      const before = await this.snapshot();
      let cmds: NetworkStep[];
      try {
        cmds = await this.plan(wanted, previous);
      } catch (e) {
        if (e instanceof SetupRefused) throw new AgentError('operation_invalid', e.message);
        throw e;
      }
      const pending: PendingSetup = {
        checkpoint,
        before,
        touched: [...touchedBy([wanted.attachments, previous.attachments], [wanted.bonds, previous.bonds])],
        wanted: wanted.attachments,
        previous: previous.attachments,
        wantedBonds: wanted.bonds,
        previousBonds: previous.bonds,
      };
      await this.store.savePending(pending);
      this.log.info({ checkpoint, commands: cmds.length }, 'applying network setup');
      try {
        await this.runAll(cmds);
      } catch (e) {
        const errors = await this.restore(pending);
        return this.finish(checkpoint, 'failed', this.restoredReason((e as Error).message, errors));
      }
      const confirmed = this.confirmation(checkpoint, timeoutMs);
      // Not awaited: over a cut path it only completes after the rollback restored the path.
      void awaiting().catch(() => undefined);
      if (await confirmed) {
        await this.store.saveApplied(wanted);
        return this.finish(checkpoint, 'applied');
      }
      this.log.warn({ checkpoint, timeoutMs }, 'the engine did not confirm the network setup: rolling back');
      const errors = await this.restore(pending);
      return this.finish(
        checkpoint,
        'rolled_back',
        this.restoredReason(
          `the engine did not reach the host within ${Math.round(timeoutMs / 1000)} s after the change`,
          errors,
        ),
      );
    } finally {
      this.busy = false;
      this.waiting = null;
    }
  }

  /** The engine heard the host after a setup: true when that setup was waiting for it. */
  confirm(checkpoint: string): boolean {
    if (this.waiting?.checkpoint !== checkpoint) return false;
    this.waiting.confirm();
    return true;
  }

  private confirmation(checkpoint: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiting = {
        checkpoint,
        confirm: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
    });
  }

  /** Every restore command is tried even when one fails: as much of the old state as possible. OVS
   * networks go back to the previous setup's first (the switch's own database), then the links'
   * MTU, addresses, state and routes to the snapshot. */
  private async restore(p: PendingSetup): Promise<string[]> {
    const errors: string[] = [];
    const wanted = { attachments: p.wanted ?? [], bonds: p.wantedBonds ?? [] };
    const previous = { attachments: p.previous ?? [], bonds: p.previousBonds ?? [] };
    if ([...wanted.attachments, ...previous.attachments, ...wanted.bonds, ...previous.bonds].some(isOvs)) {
      const now = await this.snapshot();
      const ovs = await this.planOvs(previous, wanted, now, true).catch((e: Error) => {
        errors.push(e.message);
        return [];
      });
      for (const step of ovs.filter((s) => s.tool === 'ovs-vsctl'))
        await this.step(step).catch((e: Error) => errors.push(e.message));
    }
    const cmds = planRestore(p.before, await this.snapshot(), new Set(p.touched));
    for (const args of cmds) await this.ip.run(args).catch((e: Error) => errors.push(e.message));
    if (errors.length) this.log.error({ errors }, 'network rollback incomplete');
    return errors;
  }

  private restoredReason(why: string, errors: string[]): string {
    return errors.length
      ? `${why}; the previous configuration was restored except: ${errors.join('; ')}`
      : `${why}; the previous configuration was restored`;
  }

  private async finish(
    checkpoint: string,
    outcome: NetworkSetupOutcome['outcome'],
    reason?: string,
  ): Promise<NetworkSetupOutcome> {
    const result: NetworkSetupOutcome = {
      checkpoint,
      outcome,
      at: new Date().toISOString(),
      ...(reason ? { reason } : {}),
    };
    await this.store.saveLastSetup(result);
    await this.store.clearPending();
    await this.push(true);
    return result;
  }

  private async runAll(steps: NetworkStep[]): Promise<void> {
    for (const step of steps) await this.step(step);
  }

  private step(s: NetworkStep): Promise<string> {
    if (s.tool === 'ip') return this.ip.run(s.args);
    if (!this.opts.ovs) throw new SetupRefused('Open vSwitch is not available on this host');
    return this.opts.ovs.vsctl.run([OVS_VSCTL_TIMEOUT, ...s.args]);
  }

  /** Reports the state when it changed (or always, `force`); never throws. */
  private async push(force = false): Promise<void> {
    if (this.stopped) return;
    try {
      // A VM port came or went (the OVS monitors and the periodic refresh land here): its mirror too.
      if (this.opts.ovs) await this.syncMirrors(this.opts.ovs.vsctl);
      if (this.opts.bridgeMirrors) await this.syncBridgeMirrors(this.opts.bridgeMirrors);
      const state = await this.state();
      const key = JSON.stringify(state);
      if (!force && key === this.lastReported) return;
      this.lastReported = key;
      await this.report(state);
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'host network state not reported');
    }
  }

  private async syncMirrors(vsctl: IpRunner): Promise<void> {
    try {
      const ran = await syncPortMirrors(vsctl);
      if (ran.length) this.log.info({ commands: ran.length }, 'port mirrors brought in line with VM ports');
    } catch (e) {
      this.log.debug({ err: (e as Error).message }, 'port mirrors not synced');
    }
  }

  private async syncBridgeMirrors({ tc, bridge }: { tc: IpRunner; bridge: IpRunner }): Promise<void> {
    try {
      const ran = await syncBridgeMirrors(this.ip, tc, bridge);
      if (ran.length)
        this.log.info({ commands: ran.length }, 'Linux bridge mirrors brought in line with VM taps');
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'Linux bridge mirrors not (fully) synced');
    }
  }

  /** Kernel link/address events, and where Open vSwitch runs its database's bridge and port changes
   * (tags and fake bridges change no kernel link): each pushes a report after a quiet time. */
  private startMonitors(): void {
    const ip = this.opts.monitorArgv === undefined ? IP_MONITOR : this.opts.monitorArgv;
    if (!ip) return;
    this.watch(ip, 1000);
    // A host without OVS: the monitor exits at once and is retried rarely, quietly.
    if (this.opts.ovs) for (const argv of OVS_MONITORS) this.watch(argv, 30_000);
  }

  private watch(argv: readonly string[], retryMs: number): void {
    if (this.stopped) return;
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
    this.monitors.add(child);
    child.stdout?.on('data', () => {
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.push(), this.opts.debounceMs ?? 300);
    });
    child.on('error', (e) => this.log.debug({ err: e.message, argv }, 'network monitor failed'));
    child.on('exit', () => {
      this.monitors.delete(child);
      if (!this.stopped) setTimeout(() => this.watch(argv, retryMs), retryMs).unref();
    });
  }
}

const IP_MONITOR = ['ip', 'monitor', 'link', 'address'];
/** The columns a report shows: bridges and their ports, ports' VLAN tags and fake bridges. */
const OVS_MONITORS = [
  ['ovsdb-client', 'monitor', 'Open_vSwitch', 'Bridge', 'name,ports'],
  ['ovsdb-client', 'monitor', 'Open_vSwitch', 'Port', 'name,tag,fake_bridge'],
];

const linuxOnly = <T extends NetworkAttachmentSpec | BondSpec>(xs: readonly T[]) =>
  xs.filter((a) => !isOvs(a));
