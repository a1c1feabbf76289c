import type { GcReport, Task } from '@kelpie/shared-types';
import type { VmLab } from '../vm/lifecycle-support';
import { FaultInjector, labFaults, ServiceHooks, serviceFaults } from './faults';
import { InvariantChecker, KnownIssue } from './invariants';
import { ChaosOperations, OperationStats } from './operations';
import { Prng } from './prng';
import type { SoakConfig } from './soak-config';
import type { ChaosSummary } from './summary';
import { ChaosWorld, sleep } from './world';

/** How long an operation follows its task before counting it `not_final` and moving on. */
const TASK_WAIT_MS = 45_000;
/** The inventory must equal libvirt this long after the last fault (or the last operation's end). */
const CONVERGE_MS = 10_000;
/** Tasks get this long at the end to reach a final status. */
const SETTLE_MS = 60_000;

/**
 * The chaos soak: rounds of random operations (several workers) with 1–2 random faults each, a
 * continuous "never on two hosts" check, an inventory checkpoint after each round, and at the end
 * settled tasks, a converged inventory and no orphan volume.
 */
export class ChaosSoak {
  readonly world: ChaosWorld;
  readonly checker: InvariantChecker;
  readonly stats = new OperationStats();
  readonly ops: ChaosOperations;
  readonly injector: FaultInjector;
  private checkpoints = 0;
  private soakSeconds = 0;
  private vmsAtStart = 0;

  constructor(
    private readonly L: VmLab,
    private readonly cfg: SoakConfig,
    private readonly log: (line: string) => void,
    known: KnownIssue,
    trace: (line: string) => void,
    /** When the test began (lab bring-up included in the summary's total). */
    private readonly started = Date.now(),
    services: ServiceHooks = {},
    /** The engines' database when it is not the platform's own (a private Postgres). */
    database = L.p.engine.db,
  ) {
    const p = L.p;
    this.world = {
      api: (method, path, body) => p.engine.api(method, path, body),
      hosts: p.labStatus.hosts.map((h) => ({ name: h.name, uri: h.uri, id: p.hosts[h.name].id })),
      sharedDir: p.labStatus.sharedDir,
      clusterId: p.clusterId,
      sdId: L.sdId,
      networkId: L.networkId,
      guest: L.guest,
    };
    this.checker = new InvariantChecker(this.world, log, known, trace);
    this.ops = new ChaosOperations(this.world, new Prng(cfg.seed), this.checker, this.stats, log, {
      taskWaitMs: TASK_WAIT_MS,
      maxVms: cfg.maxVms,
    });
    this.ops.endpoints.push({ name: 'engine1', api: this.world.api, closing: false });
    const faultRng = new Prng(cfg.seed ^ 0x5eed);
    this.injector = new FaultInjector(
      [
        ...labFaults({ p, database, world: this.world, rng: faultRng, endpoints: this.ops.endpoints, log }),
        ...serviceFaults(services, faultRng, this.ops.endpoints, log),
      ].filter((f) => !cfg.faults || cfg.faults.includes(f.kind)),
      faultRng,
      log,
    );
  }

  /** The soak's VMs, all but one started. */
  async setup(): Promise<void> {
    for (let i = 0; i < this.cfg.vms; i++) {
      const r = await this.ops.create();
      if (r.outcome !== 'succeeded') throw new Error(`setup: VM create ${r.outcome} ${r.detail ?? ''}`);
    }
    const ids = [...this.ops.vms];
    await Promise.all(
      ids.slice(1).map(async (id) => {
        const vm = (await this.world.api('GET', `/api/v1/vms/${id}`)).body;
        const r = await this.ops.run('start', vm);
        if (r.outcome !== 'succeeded') throw new Error(`setup: start ${r.outcome} ${r.detail ?? ''}`);
      }),
    );
    this.vmsAtStart = ids.length;
    this.stats.total = 0;
    for (const k of Object.keys(this.stats.byOp)) delete this.stats.byOp[k];
  }

  async run(): Promise<void> {
    const soakStart = Date.now();
    const soakEnd = soakStart + this.cfg.soakMs;
    this.log(`soak: ${Math.round(this.cfg.soakMs / 1000)} s, faults: ${this.injector.kinds.join(', ')}`);
    if (this.injector.unavailable.length)
      this.log(
        `faults left out (their private service or its test helper is missing): ${this.injector.unavailable.join(', ')}`,
      );
    this.checker.start();
    const workerRngs = Array.from({ length: this.cfg.workers }, (_, i) => new Prng(this.cfg.seed + i + 1));
    let round = 0;
    while (Date.now() < soakEnd - 5000 && this.stats.total < this.cfg.maxOps) {
      const roundEnd = Math.min(Date.now() + this.cfg.roundMs, soakEnd);
      this.log(`round ${++round}`);
      await Promise.all([
        ...workerRngs.map((rng) => this.worker(rng, roundEnd)),
        this.faultsUntil(roundEnd, new Prng(this.cfg.seed + 1000 + round)),
      ]);
      await this.checkpoint();
    }
    this.soakSeconds = Math.round((Date.now() - soakStart) / 1000);
    await this.checker.stop();
  }

  private async worker(rng: Prng, until: number): Promise<void> {
    while (Date.now() < until && this.stats.total < this.cfg.maxOps) {
      await this.ops.random().catch((e: Error) => this.log(`operation could not be sent: ${e.message}`));
      await sleep(rng.int(200, 1500));
    }
  }

  /** 1–3 faults in the first half of the round, so the round's end leaves time to converge. */
  private async faultsUntil(until: number, rng: Prng): Promise<void> {
    const n = rng.int(1, 3);
    for (let i = 0; i < n; i++) {
      const window = (until - Date.now()) / 2 / (n - i);
      if (window <= 0) return;
      await sleep(rng.int(0, Math.round(window)));
      await this.injector.injectOne();
    }
  }

  /** After a round: VMs whose tasks still run are left out (their tasks are checked at the end). */
  private async checkpoint(): Promise<void> {
    const quiet = Date.now();
    const active = await this.checker.activeTasks();
    const skip = new Set(active.map((t) => t.target?.id).filter((id): id is string => !!id));
    if (skip.size) this.log(`checkpoint: leaving out VMs with a task still active: ${[...skip].join(', ')}`);
    const deadline = Math.max(this.injector.lastFaultEnd, quiet) + CONVERGE_MS;
    const ok = await this.checker.expectInventoryConverged(deadline, skip);
    this.checkpoints++;
    this.log(`checkpoint ${this.checkpoints}: inventory ${ok ? 'equals libvirt' : 'DIFFERS from libvirt'}`);
  }

  /** How the tasks an operation gave up waiting for really ended, and how long they took. */
  private async followUnfinished(): Promise<void> {
    for (const t of this.ops.unfinished) {
      const res = await this.world.api('GET', `/api/v1/tasks/${t.id}`);
      const now = res.body as Task;
      const took = now.finishedAt
        ? `${Math.round((Date.parse(now.finishedAt) - Date.parse(now.createdAt)) / 1000)} s`
        : '-';
      this.log(
        `late task ${now.type} ${now.id}: ${now.status} after ${took}` +
          `${now.errorMessage ? ` (${now.errorMessage})` : ''}; last progress: ${now.progressMessage}`,
      );
    }
  }

  /** Runs the engine's garbage collector (when main has one) before orphans are looked for: what it
   * removes was leaked by some operation, so each is logged; what it leaves is an orphan. */
  private async collectGarbage(): Promise<string> {
    const res = await this.world.api('POST', '/api/v1/gc/run');
    if (res.status === 404) return 'no garbage collector: compared directly';
    if (res.status !== 200) {
      this.checker.record('gc_failed', `POST /gc/run → ${res.status} ${JSON.stringify(res.body)}`);
      return `garbage collector answered ${res.status}`;
    }
    const report = res.body as GcReport;
    const removed: string[] = [];
    for (const h of report.hosts) {
      if (h.error) this.log(`gc: ${h.hostName} not listed: ${h.error}`);
      for (const v of h.volumes.filter((x) => x.removed)) removed.push(`volume ${v.path}`);
      for (const d of h.domains.filter((x) => x.removed))
        removed.push(`domain ${d.uuid} (${d.name}) on ${h.hostName}`);
      for (const x of [...h.volumes, ...h.domains].filter((o) => o.error))
        this.log(`gc: ${JSON.stringify(x)}`);
    }
    for (const r of removed) this.log(`gc removed a leaked ${r}`);
    return `garbage collector run first (removed ${removed.length}), then shared pool files vs API disks and domain disks`;
  }

  /** Tasks settle, the inventory converges, no orphan volume. */
  async finish(): Promise<ChaosSummary> {
    await this.checker.expectTasksFinal(SETTLE_MS);
    await this.followUnfinished();
    await this.checker.expectInventoryConverged(
      Math.max(this.injector.lastFaultEnd, Date.now()) + CONVERGE_MS,
    );
    this.checkpoints++;
    const gc = await this.collectGarbage();
    await this.checker.expectNoOrphanVolumes();
    return {
      seed: this.cfg.seed,
      mode: this.cfg.mode,
      startedAt: new Date(this.started).toISOString(),
      totalSeconds: Math.round((Date.now() - this.started) / 1000),
      soakSeconds: this.soakSeconds,
      hosts: this.world.hosts.length,
      vmsAtStart: this.vmsAtStart,
      vmsAtEnd: this.ops.vms.size,
      faultMenu: this.injector.kinds,
      faultsLeftOut: this.injector.unavailable,
      operations: {
        total: this.stats.total,
        byType: this.stats.byOp,
        conflictPairs: this.stats.conflictPairs,
        conflictBothAccepted: this.stats.conflictBothAccepted,
      },
      faults: {
        total: this.injector.events.length,
        byType: this.injector.byKind,
        events: this.injector.events,
      },
      checks: {
        continuous: this.checker.checks,
        partial: this.checker.partialChecks,
        inventoryCheckpoints: this.checkpoints,
        orphanGc: gc,
      },
      violations: this.checker.violations,
      tolerated: this.checker.tolerated,
    };
  }
}
