import type { Task, Vm } from '@kelpie/shared-types';
import type { ApiResponse } from '../support/engine';
import type { InvariantChecker } from './invariants';
import type { Prng } from './prng';
import { apiGet, ChaosWorld, V1 } from './world';

export type Outcome =
  | 'succeeded'
  | 'failed'
  | 'interrupted'
  | 'cancelled'
  | 'not_final'
  | 'refused_409'
  | 'unavailable_503'
  | 'rejected_4xx'
  | 'server_error_5xx'
  | 'transport_error';

export type OpKind =
  | 'start'
  | 'shutdown'
  | 'poweroff'
  | 'reboot'
  | 'migrate'
  | 'snapshot_create'
  | 'snapshot_delete'
  | 'clone'
  | 'delete'
  | 'create';

/** An engine the driver may send requests through: the primary one, or a second engine while it lives. */
export interface Endpoint {
  name: string;
  api(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** Set just before the engine is closed: its transport errors and 5xx are expected then. */
  closing: boolean;
}

export interface OpResult {
  op: OpKind;
  vm: string;
  via: string;
  outcome: Outcome;
  task?: Task;
  detail?: string;
}

const FINAL = ['succeeded', 'failed', 'cancelled', 'interrupted'];

/** Counts by operation and outcome (the summary's table). */
export class OperationStats {
  readonly byOp: Record<string, Partial<Record<Outcome, number>>> = {};
  total = 0;
  conflictPairs = 0;
  conflictBothAccepted = 0;

  add(r: OpResult): void {
    const row = (this.byOp[r.op] ??= {});
    row[r.outcome] = (row[r.outcome] ?? 0) + 1;
    this.total++;
  }
}

interface Options {
  /** How long an operation waits for its task before counting it `not_final`. */
  taskWaitMs: number;
  /** The soak keeps at most this many VMs (clones and creates add, deletes remove). */
  maxVms: number;
}

/**
 * Random operations through the real API against the soak's VMs. Most are legal for the VM's current
 * status (so they exercise the hosts); some are not (they must be refused with a 4xx, never a 5xx).
 */
export class ChaosOperations {
  /** The soak's VMs (created at the start, by clones and by creates). */
  readonly vms = new Set<string>();
  readonly endpoints: Endpoint[] = [];
  /** Tasks an operation stopped following before they ended (followed up at the end). */
  readonly unfinished: Task[] = [];
  private names = 0;

  constructor(
    private readonly world: ChaosWorld,
    private readonly rng: Prng,
    private readonly checker: InvariantChecker,
    private readonly stats: OperationStats,
    private readonly log: (line: string) => void,
    private readonly options: Options,
  ) {}

  /** A new VM (1 GiB qcow2 on the shared domain, the test guest kernel), through the API. */
  async create(via?: Endpoint): Promise<OpResult> {
    const name = `chaos-${(this.names++).toString().padStart(3, '0')}`;
    const r = await this.send('create', name, 'POST', '/vms', this.vmSpec(name), via);
    const id = r.task?.target?.id;
    if (id && r.outcome === 'succeeded') this.vms.add(id);
    return r;
  }

  vmSpec(name: string): Record<string, unknown> {
    return {
      name,
      clusterId: this.world.clusterId,
      vcpus: 1,
      memoryMib: 96,
      disks: [{ sizeGiB: 1, storageDomainId: this.world.sdId }],
      nics: [{ networkId: this.world.networkId }],
      boot: {
        kind: 'kernel',
        kernel: this.world.guest.kernel,
        initrd: this.world.guest.initrd,
        cmdline: 'console=ttyS0 panic=-1 quiet',
      },
      graphicsVnc: false,
    };
  }

  /** One random operation (or, sometimes, a conflicting pair fired at once). */
  async random(): Promise<void> {
    const vm = await this.pickVm();
    if (!vm) {
      this.stats.add(await this.create());
      return;
    }
    if (this.rng.chance(0.12)) return this.conflictingPair(vm);
    const op = this.rng.chance(0.1) ? this.anyOp() : this.legalOp(vm);
    this.stats.add(await this.run(op, vm));
  }

  private async pickVm(): Promise<Vm | undefined> {
    const vms = (await apiGet<{ items: Vm[] }>(this.world, '/vms?limit=500')).items.filter((v) =>
      this.vms.has(v.id),
    );
    for (const id of [...this.vms]) if (!vms.some((v) => v.id === id)) this.vms.delete(id);
    return vms.length ? this.rng.pick(vms) : undefined;
  }

  private anyOp(): OpKind {
    return this.rng.pick<OpKind>([
      'start',
      'shutdown',
      'poweroff',
      'reboot',
      'migrate',
      'snapshot_create',
      'snapshot_delete',
      'clone',
    ]);
  }

  private legalOp(vm: Vm): OpKind {
    const crowded = this.vms.size >= this.options.maxVms;
    const sparse = this.vms.size <= 2;
    if (vm.status === 'up')
      return this.rng.weighted<OpKind>([
        ['migrate', 4],
        ['shutdown', 2],
        ['poweroff', 1],
        ['reboot', 1.5],
        ['snapshot_create', 1],
        ['snapshot_delete', 2],
        ['delete', crowded ? 1.5 : 0.5],
      ]);
    if (vm.status === 'down')
      return this.rng.weighted<OpKind>([
        ['start', 4],
        ['clone', crowded ? 0 : 1.5],
        ['snapshot_create', 1],
        ['snapshot_delete', 1.5],
        ['delete', sparse ? 0 : crowded ? 2 : 1],
      ]);
    return this.anyOp();
  }

  /** Two operations on one VM at the same instant: at most one may be accepted. */
  private async conflictingPair(vm: Vm): Promise<void> {
    const pairs: [OpKind, OpKind][] =
      vm.status === 'up'
        ? [
            ['migrate', 'delete'],
            ['migrate', 'snapshot_create'],
            ['migrate', 'migrate'],
            ['reboot', 'migrate'],
          ]
        : [
            ['start', 'start'],
            ['snapshot_create', 'clone'],
            ['start', 'clone'],
            ['start', 'delete'],
          ];
    const [a, b] = this.rng.pick(pairs);
    this.stats.conflictPairs++;
    const results = await Promise.all([this.run(a, vm), this.run(b, vm)]);
    results.forEach((r) => this.stats.add(r));
    const accepted = results.filter((r) => r.task);
    // Both accepted is fine when one had ended before the other was created (the first was quick).
    const overlap = (x: Task, y: Task) =>
      Date.parse(x.createdAt) < Date.parse(y.finishedAt ?? '9999') &&
      Date.parse(y.createdAt) < Date.parse(x.finishedAt ?? '9999');
    if (accepted.length > 1 && overlap(accepted[0].task!, accepted[1].task!)) {
      this.stats.conflictBothAccepted++;
      this.checker.record(
        'conflict_not_exclusive',
        `${a} + ${b} on ${vm.name} (${vm.id}, ${vm.status}) both accepted: ` +
          accepted
            .map(
              (r) =>
                `${r.task!.type} ${r.task!.id} ${r.task!.createdAt}–${r.task!.finishedAt} → ${r.outcome}`,
            )
            .join(', '),
      );
    }
  }

  async run(op: OpKind, vm: Vm): Promise<OpResult> {
    const p = `/vms/${vm.id}`;
    const host = this.world.hosts.find((h) => h.id === vm.hostId)?.name ?? 'no host';
    const label = `${vm.name} (${vm.status} on ${host})`;
    switch (op) {
      case 'start':
      case 'poweroff':
      case 'reboot':
        return this.send(op, label, 'POST', `${p}/${op}`);
      case 'shutdown':
        return this.send(op, label, 'POST', `${p}/shutdown`, {
          timeoutSeconds: 20,
          forceAfterTimeout: true,
        });
      case 'migrate': {
        const other = this.world.hosts.filter((h) => h.id !== vm.hostId);
        return this.send(op, label, 'POST', `${p}/migrate`, {
          targetHostId: this.rng.pick(other.length ? other : this.world.hosts).id,
        });
      }
      case 'snapshot_create': {
        const internal = this.rng.chance(0.7);
        return this.send(op, label, 'POST', `${p}/snapshots`, {
          name: `snap-${this.names++}`,
          type: internal ? 'internal' : 'external',
          withMemory: internal && vm.status === 'up' && this.rng.chance(0.5),
        });
      }
      case 'snapshot_delete': {
        const tree = await apiGet<{ items: { id: string }[] }>(this.world, `${p}/snapshots`).catch(() => ({
          items: [],
        }));
        if (!tree.items.length)
          return this.send('snapshot_create', label, 'POST', `${p}/snapshots`, {
            name: `snap-${this.names++}`,
          });
        return this.send(op, label, 'DELETE', `${p}/snapshots/${this.rng.pick(tree.items).id}`);
      }
      case 'clone': {
        const r = await this.send(op, label, 'POST', `${p}/clone`, { name: `chaos-${this.names++}-clone` });
        const id = r.task?.result?.vmId;
        if (typeof id === 'string' && r.outcome === 'succeeded') this.vms.add(id);
        return r;
      }
      case 'delete': {
        const r = await this.send(op, label, 'DELETE', `${p}?force=true&withDisks=true`);
        // Delete and create go together, so the soak keeps its size.
        if (r.outcome === 'succeeded' && this.vms.size < this.options.maxVms) {
          this.vms.delete(vm.id);
          this.stats.add(await this.create());
        }
        return r;
      }
      case 'create':
        return this.create();
    }
  }

  private endpoint(): Endpoint {
    const live = this.endpoints.filter((e) => !e.closing);
    return live.length > 1 && this.rng.chance(0.4) ? live[live.length - 1] : this.endpoints[0];
  }

  private async send(
    op: OpKind,
    vmName: string,
    method: string,
    path: string,
    body?: unknown,
    via = this.endpoint(),
  ): Promise<OpResult> {
    const base = { op, vm: vmName, via: via.name };
    let res: ApiResponse;
    try {
      res = await via.api(method, `${V1}${path}`, body);
    } catch (err) {
      return this.done({ ...base, outcome: 'transport_error', detail: String(err) });
    }
    if (res.status === 202) {
      const task = await this.waitTask(res.body as Task);
      const outcome = (FINAL.includes(task.status) ? task.status : 'not_final') as Outcome;
      if (outcome === 'not_final') this.unfinished.push(task);
      const detail = task.errorMessage
        ? `${task.errorMessage}; last progress: ${task.progressMessage}`
        : undefined;
      return this.done({ ...base, outcome, task, detail });
    }
    if (res.status < 300) return this.done({ ...base, outcome: 'succeeded' });
    const detail = `${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
    if (res.status === 409) return this.done({ ...base, outcome: 'refused_409', detail });
    if (res.status === 503) return this.done({ ...base, outcome: 'unavailable_503', detail });
    if (res.status < 500) return this.done({ ...base, outcome: 'rejected_4xx', detail });
    if (!via.closing) this.checker.record('api_5xx', `${via.name}: ${detail}`);
    return this.done({ ...base, outcome: 'server_error_5xx', detail });
  }

  /** Follows a task through the primary engine (a second engine may be gone before it ends). */
  private async waitTask(task: Task): Promise<Task> {
    const deadline = Date.now() + this.options.taskWaitMs;
    let t = task;
    while (!FINAL.includes(t.status) && Date.now() < deadline) {
      const wait = Math.max(0, Math.min(20_000, deadline - Date.now()));
      const res = await this.endpoints[0]
        .api('GET', `${V1}/tasks/${task.id}?wait=${wait}`)
        .catch(() => undefined);
      if (res?.status === 200) t = res.body as Task;
      else await new Promise((r) => setTimeout(r, 500));
    }
    return t;
  }

  private done(r: OpResult): OpResult {
    const task = r.task ? ` ${r.task.type} ${r.task.id.slice(0, 8)}` : '';
    this.log(`op ${r.op} ${r.vm} via ${r.via} →${task} ${r.outcome}${r.detail ? ` (${r.detail})` : ''}`);
    return r;
  }
}
