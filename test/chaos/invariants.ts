import type { AuditEvent, Disk, Task, Vm } from '@kelpie/shared-types';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { backingChain, domainDiskSources, HostListing, libvirtState, listHost } from './libvirt-view';
import { apiGet, ChaosWorld, sleep, Tolerated, Violation } from './world';

const API_STATUS_OF: Record<string, string> = { running: 'up', paused: 'paused', 'shut off': 'down' };

/** Known, not yet merged slices of the crash-safety work whose findings the soak counts but does
 * not fail on. Each entry says why; the report lists every tolerated finding. */
export type KnownIssue = (v: Violation) => string | undefined;

/**
 * The soak's invariants, read from libvirt with raw virsh and from the API:
 * - never running on two hosts (checked continuously),
 * - the API inventory (host + status of every VM) equals libvirt within a bound after the last fault,
 * - no task left queued/running after a bounded settle,
 * - no orphan volume in the shared pool.
 */
export class InvariantChecker {
  readonly violations: Violation[] = [];
  readonly tolerated: Tolerated[] = [];
  /** Continuous checks completed (every host answered). */
  checks = 0;
  /** Checks where some host did not answer (libvirtd restarting). */
  partialChecks = 0;
  private readonly doubleRunning = new Set<string>();
  private loop: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly world: ChaosWorld,
    private readonly log: (line: string) => void,
    private readonly known: KnownIssue = () => undefined,
    /** Where every change of a VM's state (API and libvirt) goes: the run's log file. */
    private readonly trace: (line: string) => void = () => undefined,
  ) {}

  record(kind: string, detail: string): void {
    const v: Violation = { kind, at: new Date().toISOString(), detail };
    const reason = this.known(v);
    if (reason) {
      this.tolerated.push({ ...v, reason });
      this.log(`TOLERATED ${kind}: ${detail} (${reason})`);
    } else {
      this.violations.push(v);
      this.log(`VIOLATION ${kind}: ${detail}`);
    }
  }

  start(everyMs = 1500): void {
    this.loop = (async () => {
      while (!this.stopped) {
        await this.checkNeverTwice().catch((e: Error) => this.log(`invariant check failed: ${e.message}`));
        await sleep(everyMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async listings(): Promise<Map<string, HostListing | undefined>> {
    const out = await Promise.all(
      this.world.hosts.map(async (h) => [h.name, await listHost(h.uri)] as const),
    );
    return new Map(out);
  }

  /** A VM running on two hosts at once. Listings of two hosts are not atomic (a migration's
   * switchover can fall between them), so a suspect is listed again before it counts. */
  async checkNeverTwice(): Promise<void> {
    const first = await this.listings();
    if ([...first.values()].some((l) => !l)) this.partialChecks++;
    else this.checks++;
    await this.traceChanges(first).catch(() => undefined);
    const suspects = runningOnSeveral(first);
    if (!suspects.size) {
      this.doubleRunning.clear();
      return;
    }
    const again = runningOnSeveral(await this.listings());
    for (const [uuid, hosts] of again) {
      if (this.doubleRunning.has(uuid)) continue;
      this.doubleRunning.add(uuid);
      this.record('running_on_two_hosts', `VM ${uuid} running on ${hosts.join(' and ')} (virsh list)`);
    }
    for (const uuid of [...this.doubleRunning]) if (!again.has(uuid)) this.doubleRunning.delete(uuid);
  }

  private lastSeen = new Map<string, string>();

  /** Logs each VM's state when it changed since the last check: the API's status and host next to
   * where libvirt has it, so a finding can be followed step by step. */
  private async traceChanges(listings: Map<string, HostListing | undefined>): Promise<void> {
    const vms = (await apiGet<{ items: Vm[] }>(this.world, '/vms?limit=500')).items;
    const seen = new Map<string, string>();
    for (const vm of vms) {
      const virsh = this.world.hosts
        .map((h) => {
          const l = listings.get(h.name);
          if (!l) return `${h.name}:?`;
          return l.all.includes(vm.id) ? `${h.name}:${libvirtState(l, vm.id)}` : undefined;
        })
        .filter(Boolean)
        .join(',');
      seen.set(
        vm.id,
        `${vm.name} api ${vm.status}@${this.hostName(vm.hostId)} | virsh ${virsh || 'nowhere'}`,
      );
    }
    for (const [id, line] of seen) if (this.lastSeen.get(id) !== line) this.trace(`state ${line}`);
    for (const [id, line] of this.lastSeen)
      if (!seen.has(id)) this.trace(`state ${line.split(' ')[0]} gone from the API`);
    this.lastSeen = seen;
  }

  /** Differences between the API's inventory and libvirt; undefined when a host does not answer. */
  async inventoryDiff(skip: ReadonlySet<string> = new Set()): Promise<string[] | undefined> {
    const listings = await this.listings();
    if ([...listings.values()].some((l) => !l)) return undefined;
    const vms = (await apiGet<{ items: Vm[] }>(this.world, '/vms?limit=500')).items;
    const diff: string[] = [];
    const known = new Set(vms.map((v) => v.id));
    for (const vm of vms) {
      if (skip.has(vm.id)) continue;
      const definedOn = this.world.hosts.filter((h) => listings.get(h.name)!.all.includes(vm.id));
      const api = `API: host ${this.hostName(vm.hostId)}, status ${vm.status}`;
      if (definedOn.length > 1) {
        diff.push(`${vm.name} (${vm.id}) defined on ${definedOn.map((h) => h.name).join(' and ')}; ${api}`);
      } else if (definedOn.length === 1) {
        const h = definedOn[0];
        const state = libvirtState(listings.get(h.name)!, vm.id);
        if (vm.hostId !== h.id || vm.status !== API_STATUS_OF[state])
          diff.push(`${vm.name} (${vm.id}) libvirt: ${state} on ${h.name}; ${api}`);
      } else if (vm.hostId !== null || vm.status !== 'down') {
        diff.push(`${vm.name} (${vm.id}) libvirt: defined on no host; ${api}`);
      }
    }
    for (const h of this.world.hosts)
      for (const uuid of listings.get(h.name)!.all)
        if (!known.has(uuid) && !skip.has(uuid))
          diff.push(`domain ${uuid} on ${h.name} is unknown to the API`);
    return diff;
  }

  /** Polls until the API inventory equals libvirt or `deadline` (epoch ms) passes; a difference
   * left at the deadline is a violation. VMs in `skip` (a task of theirs still runs) are left out. */
  async expectInventoryConverged(deadline: number, skip: ReadonlySet<string> = new Set()): Promise<boolean> {
    let last: string[] | undefined;
    for (;;) {
      last = await this.inventoryDiff(skip).catch((e: Error) => [`inventory not readable: ${e.message}`]);
      if (last && last.length === 0) return true;
      if (Date.now() >= deadline) break;
      await sleep(1000);
    }
    if (!last) this.record('inventory_mismatch', 'a lab host did not answer virsh at the deadline');
    else for (const d of last) this.record('inventory_mismatch', d);
    return false;
  }

  /** Tasks still queued or running. */
  async activeTasks(): Promise<Task[]> {
    const [running, queued] = await Promise.all([
      apiGet<{ items: Task[] }>(this.world, '/tasks?status=running&limit=500'),
      apiGet<{ items: Task[] }>(this.world, '/tasks?status=queued&limit=500'),
    ]);
    return [...running.items, ...queued.items];
  }

  /** Waits up to settleMs for every task to be final; what is left is a violation each. */
  async expectTasksFinal(settleMs: number): Promise<void> {
    const deadline = Date.now() + settleMs;
    let active = await this.activeTasks();
    while (active.length && Date.now() < deadline) {
      await sleep(2000);
      active = await this.activeTasks();
    }
    for (const t of active)
      this.record(
        'task_not_final',
        `${t.type} ${t.id} on ${t.target?.type} ${t.target?.id} still ${t.status} (created ${t.createdAt}, ` +
          `progress ${t.progress} "${t.progressMessage ?? ''}")`,
      );
  }

  /** Files in the shared pool that no API disk and no domain on any host uses. */
  async orphanVolumes(): Promise<string[]> {
    const disks = (await apiGet<{ items: Disk[] }>(this.world, '/disks?limit=500')).items;
    // A disk's data: its volume and the overlay an external snapshot put on it.
    const used = new Set(
      disks.flatMap((d) => [d.volumePath, ...(d.activeImagePath ? [d.activeImagePath] : [])]),
    );
    const listings = await this.listings();
    for (const h of this.world.hosts)
      for (const uuid of listings.get(h.name)?.all ?? [])
        for (const f of await domainDiskSources(h.uri, uuid)) used.add(f);
    // An external snapshot's overlay below the active one is the backing file of the next: in use
    // although no disk or domain names it (a stopped domain's XML shows no backing chain).
    for (const top of [...used]) for (const f of await backingChain(top)) used.add(f);
    const orphans: string[] = [];
    for (const name of await readdir(this.world.sharedDir)) {
      const path = join(this.world.sharedDir, name);
      if (name.endsWith('.log') || !(await stat(path)).isFile()) continue;
      if (!used.has(path)) orphans.push(path);
    }
    return orphans;
  }

  async expectNoOrphanVolumes(): Promise<void> {
    for (const f of await this.orphanVolumes())
      this.record('orphan_volume', `${f} is used by no API disk and no domain; ${await this.history(f)}`);
  }

  /** The audit trail of the objects a file is named after (disk id, snapshot id): how it came to be left. */
  private async history(file: string): Promise<string> {
    const ids = basename(file).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
    const lines: string[] = [];
    for (const id of ids) {
      const events = await apiGet<{ items: AuditEvent[] }>(
        this.world,
        `/events?objectId=${id}&limit=20`,
      ).catch(() => ({ items: [] as AuditEvent[] }));
      for (const e of events.items.reverse()) lines.push(`${e.time} ${e.type}: ${e.message}`);
    }
    return lines.length ? `audit: ${lines.join(' | ')}` : 'no audit event names it';
  }

  private hostName(id: string | null): string {
    if (!id) return 'none';
    return this.world.hosts.find((h) => h.id === id)?.name ?? id;
  }
}

function runningOnSeveral(listings: Map<string, HostListing | undefined>): Map<string, string[]> {
  const where = new Map<string, string[]>();
  for (const [host, l] of listings)
    for (const uuid of l?.running ?? []) where.set(uuid, [...(where.get(uuid) ?? []), host]);
  return new Map([...where].filter(([, hosts]) => hosts.length > 1));
}
