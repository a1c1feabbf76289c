import {
  ErrorCode,
  EventSeverity,
  FINAL_TASK_STATUSES,
  ObjectRef,
  ObjectType,
  Page,
  Task,
  TaskStatus,
  TaskStep,
} from '@kelpie/shared-types';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { filter, take } from 'rxjs';
import { EntityManager, In, Repository } from 'typeorm';
import { DomainError, invalidState, notFound } from '../common/errors/domain-error';
import { ListSpec, paginate } from '../common/list/list-query';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { isDatabaseUnavailable, whileDatabaseAway } from '../common/errors/database-unavailable';
import { EventsService } from '../events/events.service';
import { EngineMetrics } from '../common/metrics/engine-metrics';
import { REDIS } from '../redis/redis.module';
import { StreamService } from '../stream/stream.service';
import {
  ClaimedTask,
  claimOrphan,
  findOrphans,
  releaseClaim,
  TaskAdopter,
  TaskUnknowable,
} from './task-adoption';
import { TaskEntity } from './task.entity';
import { mapTask } from './task.response';
import { acquireLocks, assertFree, defaultLocks } from './task-locks';
import { TaskRepository } from './task.repository';
import { fenceWhere, isFencedOut, TaskFence, TaskFenced } from './task-fence';
import { runInTaskScope } from './task-scope';
import { TaskListQuery } from './tasks.dto';

/** How long a task's final write waits for an unreachable database before giving up. */
const FINAL_WRITE_MAX_WAIT_MS = 10 * 60_000;
const ACTIVE: TaskStatus[] = [TaskStatus.Queued, TaskStatus.Running];
/** While waiting for a task, re-read it this often in case a stream message was lost (Redis hiccup). */
const WAIT_RECHECK_MS = 5_000;

const LIST: ListSpec = {
  sortable: {
    createdAt: 't.createdAt',
    finishedAt: 't.finishedAt',
    status: 't.status',
    type: 't.type',
    progress: 't.progress',
  },
  defaultSort: 'createdAt',
  defaultOrder: 'desc',
  search: 't.type',
  filters: {
    status: 't.status',
    type: 't.type',
    objectType: 't.targetType',
    objectId: 't.targetId',
    correlationId: 't.correlationId',
  },
};

export interface TaskContext {
  readonly task: Task;
  progress(pct: number, message?: string, extra?: { steps?: TaskStep[] }): Promise<void>;
  /** True once someone cancelled the task; long work should check and stop. */
  isCancelled(): Promise<boolean>;
  /** Records what an engine adopting this task would need (merged into the stored checkpoint); write
   * it BEFORE the step it announces, so a crash in between leaves the intent, not nothing. */
  checkpoint(phase: string, data?: Record<string, unknown>): Promise<void>;
}

export interface TaskSpec {
  type: string;
  target: ObjectRef | null;
  requestedBy: string;
  correlationId?: string | null;
  steps?: TaskStep[];
  /** Objects the task holds exclusively until it is final (default: its target if a VM or disk). */
  locks?: ObjectRef[];
  /** Re-checks, once the locks are held, what the request checked before (the object's state may have
   * changed until then); throwing refuses the task like a lock conflict. */
  verify?: LockedCheck;
}

/** A check run inside the task's transaction after its locks are taken. */
export type LockedCheck = (em: EntityManager) => Promise<void>;

export interface CreateOptions {
  /** See TaskSpec.locks. */
  locks?: ObjectRef[];
  /** See TaskSpec.verify. */
  verify?: LockedCheck;
  /** Insert the task (and its locks) in this transaction instead of a new one. */
  manager?: EntityManager;
  /** The steps once `verify` passed: a check run under the lock may decide them (a chosen target). */
  describeSteps?: () => TaskStep[];
}

export const isFinal = (s: TaskStatus) => FINAL_TASK_STATUSES.includes(s);

type TaskWork<R> = (ctx: TaskContext) => Promise<R>;

/**
 * Tasks: the record of every long action. Other features create one, then report start, progress
 * and the outcome; every change is published on the live stream, outcomes are written to the audit log.
 */
@Injectable()
export class TasksService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Tasks');
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @InjectRepository(TaskEntity) private readonly repo: Repository<TaskEntity>,
    private readonly taskRepo: TaskRepository,
    private readonly stream: StreamService,
    private readonly events: EventsService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Optional() private readonly metrics?: EngineMetrics,
  ) {}

  // ---- lifecycle: liveness of this engine, adopting tasks of dead engines ----

  private livenessKey(engineId: string): string {
    return `${this.config.redisPrefix}:engine:${engineId}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const ttl = this.config.engineLivenessTtlMs;
    await this.heartbeat();
    await this.sweepOrphans().catch((e: Error) => this.logger.warn(`orphan sweep: ${e.message}`));
    this.timers.push(
      setInterval(() => void this.heartbeat(), Math.max(500, Math.floor(ttl / 3))).unref(),
      // Half the TTL: a dead engine's tasks are adopted at most 1.5 TTL after its last heartbeat.
      setInterval(
        () => void this.sweepOrphans().catch((e: Error) => this.logger.warn(`orphan sweep: ${e.message}`)),
        Math.max(1000, Math.floor(ttl / 2)),
      ).unref(),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.timers.forEach(clearInterval);
    await this.redis.del(this.livenessKey(this.stream.engineId)).catch(() => undefined);
  }

  private async heartbeat(): Promise<void> {
    await this.redis
      .set(
        this.livenessKey(this.stream.engineId),
        new Date().toISOString(),
        'PX',
        this.config.engineLivenessTtlMs,
      )
      .catch((e: Error) => this.logger.debug(`liveness not refreshed: ${e.message}`));
  }

  /** Runs after every orphan sweep (e.g. closing records whose task ended without them). */
  registerSweepHook(hook: () => Promise<void>): void {
    this.sweepHooks.push(hook);
  }

  private readonly sweepHooks: (() => Promise<void>)[] = [];

  /**
   * Tasks left queued/running by an engine that is gone (no owner, or the owner's liveness key
   * expired) are claimed, one engine each, and adopted (task-adoption.ts); then the sweep hooks run.
   * At boot and periodically. Returns how many tasks this engine claimed.
   */
  async sweepOrphans(): Promise<number> {
    const orphans = await findOrphans(
      this.taskRepo,
      this.redis,
      (o) => this.livenessKey(o),
      this.stream.engineId,
    );
    let claimed = 0;
    for (const orphan of orphans) {
      const task = await claimOrphan(this.taskRepo, orphan, this.stream.engineId);
      if (!task) continue; // another engine claimed it first
      claimed++;
      await this.adopt(task).catch(async (e: Error) => {
        // Not started (the database hiccupped?): let go, so the next sweep (of any engine) tries again.
        this.logger.warn(`adopting ${orphan.id}: ${e.message}`);
        await releaseClaim(this.taskRepo, orphan.id, this.stream.engineId).catch(() => undefined);
      });
    }
    if (claimed) this.logger.warn(`claimed ${claimed} task(s) of a stopped engine`);
    for (const hook of this.sweepHooks)
      await hook().catch((e: Error) => this.logger.warn(`after the orphan sweep: ${e.message}`));
    return claimed;
  }

  // ---- adopting ----

  private readonly adopters = new Map<string, TaskAdopter>();

  /** A feature whose tasks can be settled by another engine says how: given the claimed task and its
   * checkpoint, the adopter asks the hosts what really happened and returns the result (succeeded),
   * throws a DomainError (failed), TaskUnknowable (interrupted), or finishes the task itself. */
  registerAdopter(type: string, adopter: TaskAdopter): void {
    this.adopters.set(type, adopter);
  }

  private async adopt(claimed: ClaimedTask): Promise<void> {
    const adopter = this.adopters.get(claimed.task.type);
    if (!adopter || !claimed.checkpoint) {
      // Nothing on record says what the task did on the hosts: only a human can tell.
      await this.finish(
        claimed.task.id,
        TaskStatus.Interrupted,
        {
          errorCode: 'interrupted',
          errorMessage: adopter
            ? 'the engine running this task stopped before it recorded any step; check the target and retry'
            : `the engine running this task stopped before it finished and a ${claimed.task.type} task cannot be resumed; check the target and retry`,
        },
        claimed.fence,
      );
      return;
    }
    const { checkpoint } = claimed;
    const task = mapTask(claimed.task);
    this.logger.warn(`adopting ${task.type} ${task.id} at phase ${String(checkpoint.phase)}`);
    await this.events.record({
      severity: EventSeverity.Warning,
      type: 'task.adopted',
      message: `task ${task.type} adopted by engine ${this.stream.engineId} after its engine stopped (phase ${String(checkpoint.phase)})`,
      refs: [...(task.target ? [task.target] : []), { type: ObjectType.Task, id: task.id }],
      correlationId: task.correlationId,
    });
    void this.drive(
      task,
      (ctx) => adopter(ctx, checkpoint),
      task.status === TaskStatus.Queued,
      claimed.fence,
    );
  }

  /** Stores the task's checkpoint (only while `fence` holds: TaskFenced otherwise). Crash tests: a
   * failpoint named `type:phase` stops the task here for good (the engine is then killed at a known
   * step); `type:phase@ms` pauses it that long (the engine is then paused past its liveness TTL). */
  private async reachedCheckpoint(
    task: Task,
    phase: string,
    data: Record<string, unknown>,
    fence: TaskFence,
  ): Promise<void> {
    const res = await this.repo
      .createQueryBuilder()
      .update()
      .set({ checkpoint: () => `COALESCE(checkpoint, '{}'::jsonb) || CAST(:checkpoint AS jsonb)` })
      .setParameter('checkpoint', JSON.stringify({ ...data, phase }))
      .where({ id: task.id, ...fenceWhere(fence) })
      .execute();
    if (!res.affected) await this.assertOwner(task.id, fence);
    const failpoint = this.config.testFailpoints.find((f) => f.split('@')[0] === `${task.type}:${phase}`);
    if (!failpoint) return;
    const pauseMs = Number(failpoint.split('@')[1] ?? 0);
    this.logger.warn(
      `failpoint ${failpoint} reached: task ${task.id} ${pauseMs ? `pauses ${pauseMs} ms` : 'stops here'}`,
    );
    await new Promise<void>((resolve) => pauseMs && setTimeout(resolve, pauseMs));
  }

  // ---- the API other features use ----

  async create(
    type: string,
    target: ObjectRef | null,
    requestedBy: string,
    correlationId?: string | null,
    steps: TaskStep[] = [],
    options: CreateOptions = {},
  ): Promise<Task> {
    const entity = this.repo.create({
      id: randomUUID(),
      type,
      target,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      status: TaskStatus.Queued,
      progress: 0,
      progressMessage: null,
      steps,
      result: null,
      errorCode: null,
      errorMessage: null,
      requestedBy,
      correlationId: correlationId ?? null,
      ownerEngine: this.stream.engineId,
      ownerGeneration: 0,
      startedAt: null,
      finishedAt: null,
    });
    // The task and the locks on its objects exist together or not at all: a refused lock (409) leaves
    // no task behind, and a task never runs without its locks.
    const insert = async (em: EntityManager) => {
      await em.insert(TaskEntity, entity as never);
      await acquireLocks(this.taskRepo, em, entity.id, options.locks ?? defaultLocks(target));
      await options.verify?.(em);
      if (options.describeSteps) {
        entity.steps = options.describeSteps();
        await em.update(TaskEntity, { id: entity.id }, { steps: entity.steps as never });
      }
    };
    if (options.manager) await insert(options.manager);
    else await this.repo.manager.transaction(insert);
    const task = options.manager
      ? mapTask(await options.manager.findOneByOrFail(TaskEntity, { id: entity.id }))
      : await this.get(entity.id);
    await this.publish('task.created', task);
    return task;
  }

  /** `fence`: the runner's writes hold only while it still owns the task (task-fence.ts). */
  async start(id: string, message?: string, fence?: TaskFence): Promise<Task> {
    const started = {
      status: TaskStatus.Running,
      startedAt: new Date(),
      ...(message !== undefined ? { progressMessage: message } : {}),
    };
    const task = await this.transition(id, [TaskStatus.Queued], started, fence);
    await this.publish('task.progress', task);
    return task;
  }

  /** pct is clamped to 0–100; a queued task is started. */
  async progress(
    id: string,
    pct: number,
    message?: string,
    extra?: { steps?: TaskStep[] },
    fence?: TaskFence,
  ): Promise<Task> {
    const set = {
      progress: Math.max(0, Math.min(100, Math.round(pct))),
      ...(message !== undefined ? { progressMessage: message } : {}),
      ...(extra?.steps ? { steps: extra.steps } : {}),
    };
    // A running task (every message but the first) takes one UPDATE and one read: a migration sends
    // several a second. Otherwise a queued task is started first; a final one is a 409.
    let task: Task;
    if (await this.applyIf(id, [TaskStatus.Running], set, fence)) task = await this.get(id);
    else {
      if ((await this.get(id)).status === TaskStatus.Queued) await this.start(id, undefined, fence);
      task = await this.transition(id, [TaskStatus.Running], set, fence);
    }
    await this.publish('task.progress', task);
    return task;
  }

  async succeed(
    id: string,
    result: Record<string, unknown> | null = null,
    message?: string,
    fence?: TaskFence,
  ): Promise<Task> {
    const set = { result, progress: 100, ...(message !== undefined ? { progressMessage: message } : {}) };
    return this.finish(id, TaskStatus.Succeeded, set, fence);
  }

  async fail(id: string, code: Task['errorCode'], message: string, fence?: TaskFence): Promise<Task> {
    const set = { errorCode: code ?? ErrorCode.Internal, errorMessage: message };
    return this.finish(id, TaskStatus.Failed, set, fence);
  }

  async cancel(id: string, reason = 'cancelled'): Promise<Task> {
    return this.finish(id, TaskStatus.Cancelled, { errorCode: 'cancelled', errorMessage: reason });
  }

  /** Creates the task and runs `work` in the background: start, progress through ctx, succeed with
   * its result or fail with its error (DomainError code kept). Returns the queued task at once. */
  async launch<R extends Record<string, unknown> | null | void>(
    spec: TaskSpec,
    work: (ctx: TaskContext) => Promise<R>,
  ): Promise<Task> {
    const task = await this.create(spec.type, spec.target, spec.requestedBy, spec.correlationId, spec.steps, {
      locks: spec.locks,
      verify: spec.verify,
    });
    void this.run(task, work);
    return task;
  }

  /** 409 naming the running task when one holds any of `objects` (see task-locks.ts assertFree). */
  async assertFree(objects: ObjectRef[]): Promise<void> {
    await assertFree(this.taskRepo, objects);
  }

  /** Runs `work` inside the caller's request as a task holding its locks, for short synchronous
   * changes that must not overlap a running operation on the same object (409 while one runs).
   * Returns what `work` returns; its error reaches the caller unchanged (the task records it). */
  async exclusive<R>(spec: TaskSpec, work: (ctx: TaskContext) => Promise<R>): Promise<R> {
    const task = await this.create(spec.type, spec.target, spec.requestedBy, spec.correlationId, spec.steps, {
      locks: spec.locks,
      verify: spec.verify,
    });
    let outcome: { ok: true; value: R } | { ok: false; error: unknown } | undefined;
    await this.run(task, async (ctx) => {
      try {
        outcome = { ok: true, value: await work(ctx) };
      } catch (error) {
        outcome = { ok: false, error };
        throw error;
      }
    });
    if (!outcome) throw new Error(`task ${task.id} ended before its work ran`);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** Runs `work` for a task this engine just created (its fence: this engine, generation 0). */
  async run<R extends Record<string, unknown> | null | void>(task: Task, work: TaskWork<R>): Promise<Task> {
    return this.drive(task, work, true, { owner: this.stream.engineId, generation: 0 });
  }

  /** Runs work for a task (started first when `start`) and ends the task with its outcome, unless
   * the work ended it itself. Every write is fenced: once another engine claimed the task, the next
   * write throws TaskFenced, the work stops there and nothing more is written. */
  private async drive<R extends Record<string, unknown> | null | void>(
    task: Task,
    work: TaskWork<R>,
    start: boolean,
    fence: TaskFence,
  ): Promise<Task> {
    const ctx: TaskContext = {
      task,
      progress: async (pct, message, extra) =>
        void (await this.progress(task.id, pct, message, extra, fence)),
      isCancelled: async () => (await this.get(task.id)).status === TaskStatus.Cancelled,
      checkpoint: (phase, data = {}) => this.reachedCheckpoint(task, phase, data, fence),
    };
    let result: R;
    try {
      if (start) await this.start(task.id, undefined, fence);
      // Every agent command the work sends carries this fence (task-scope.ts).
      result = await runInTaskScope(task.id, fence, () => work(ctx));
    } catch (err) {
      return this.settleFailure(task, err, fence);
    }
    try {
      // The work is done: its record must not be lost to a short database outage.
      return await whileDatabaseAway(
        () => this.succeed(task.id, (result ?? null) as Record<string, unknown> | null, undefined, fence),
        FINAL_WRITE_MAX_WAIT_MS,
      );
    } catch (err) {
      // A task the work ended itself (cancelled…) makes succeed() throw: returned as it is.
      return this.settleFailure(task, err, fence);
    }
  }

  /** Ends a task whose work failed, unless it is already final. The final write waits out a database
   * outage (bounded): a swallowed write would leave the task running and its objects locked forever. */
  private async settleFailure(task: Task, err: unknown, fence: TaskFence): Promise<Task> {
    if (err instanceof TaskFenced) return this.fencedOut(task, err);
    const current = await whileDatabaseAway(() => this.get(task.id), FINAL_WRITE_MAX_WAIT_MS).catch(
      () => undefined,
    );
    if (current && isFinal(current.status)) return current;
    const unlessFenced = (e: unknown) =>
      e instanceof TaskFenced ? this.fencedOut(task, e) : (current ?? task);
    if (err instanceof TaskUnknowable)
      return whileDatabaseAway(
        () =>
          this.finish(
            task.id,
            TaskStatus.Interrupted,
            { errorCode: 'interrupted', errorMessage: err.message },
            fence,
          ),
        FINAL_WRITE_MAX_WAIT_MS,
      ).catch(unlessFenced);
    const code =
      err instanceof DomainError
        ? err.code
        : isDatabaseUnavailable(err)
          ? ErrorCode.DatabaseUnavailable
          : ErrorCode.Internal;
    if (code === ErrorCode.Internal)
      this.logger.error(`task ${task.type} ${task.id}: ${(err as Error).stack}`);
    return whileDatabaseAway(
      () => this.fail(task.id, code, (err as Error).message, fence),
      FINAL_WRITE_MAX_WAIT_MS,
    ).catch(unlessFenced);
  }

  /** This engine was taken for dead and its task adopted: it writes nothing more and lets go. */
  private async fencedOut(task: Task, err: TaskFenced): Promise<Task> {
    this.logger.warn(`fenced out: ${err.message}`);
    return this.get(task.id).catch(() => task);
  }

  // ---- cancelling ----

  private readonly cancellers = new Map<string, (task: Task, reason: string) => Promise<void>>();

  /** A feature whose tasks can be stopped says how (e.g. abort the migration on the agent). The task
   * ends `cancelled` when its work has really stopped, not when cancellation is requested. */
  registerCanceller(type: string, cancel: (task: Task, reason: string) => Promise<void>): void {
    this.cancellers.set(type, cancel);
  }

  /** `POST /tasks/{id}/cancel`: 409 when the task is final or its type cannot be cancelled. */
  async requestCancel(id: string, requestedBy: string): Promise<Task> {
    const task = await this.get(id);
    const ref = { type: ObjectType.Task, id };
    if (isFinal(task.status))
      throw invalidState(`task ${id} is already ${task.status}`, [
        { reason: `status is ${task.status}`, ref },
      ]);
    const cancel = this.cancellers.get(task.type);
    if (!cancel)
      throw invalidState(`tasks of type ${task.type} cannot be cancelled`, [
        { reason: 'not cancellable', ref },
      ]);
    await cancel(task, `cancelled by ${requestedBy}`);
    return this.get(id);
  }

  // ---- reading ----

  async get(id: string): Promise<Task> {
    const t = await this.repo.findOneBy({ id });
    if (!t) throw notFound(ObjectType.Task, id);
    return mapTask(t);
  }

  async list(query: TaskListQuery): Promise<Page<Task>> {
    const page = await paginate(this.repo.createQueryBuilder('t'), query, LIST);
    return { ...page, items: page.items.map(mapTask) };
  }

  /** The queued or running tasks on an object, oldest first. */
  async activeOn(objectId: string): Promise<Task[]> {
    const rows = await this.repo.find({
      where: { targetId: objectId, status: In(ACTIVE) },
      order: { createdAt: 'ASC' },
    });
    return rows.map(mapTask);
  }

  /** The task once it is final or `ms` passed, whichever first. Woken by the stream's task.finished. */
  async wait(id: string, ms: number): Promise<Task> {
    const deadline = Date.now() + ms;
    let wake: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (wake = resolve));
    const sub = this.stream.messages
      .pipe(
        filter((m) => m.type === 'task.finished' && m.task.id === id),
        take(1),
      )
      .subscribe(() => wake());
    let timer: NodeJS.Timeout | undefined;
    try {
      let task = await this.get(id);
      while (!isFinal(task.status) && Date.now() < deadline) {
        const slice = Math.min(deadline - Date.now(), WAIT_RECHECK_MS);
        await Promise.race([finished, new Promise((r) => (timer = setTimeout(r, slice)))]);
        clearTimeout(timer);
        task = await this.get(id);
      }
      return task;
    } finally {
      clearTimeout(timer);
      sub.unsubscribe();
    }
  }

  // ---- internals ----

  /** Applies `set` when the task is in one of `from` (and `fence` holds); false when it is not. */
  private async applyIf(
    id: string,
    from: TaskStatus[],
    set: Partial<TaskEntity>,
    fence?: TaskFence,
  ): Promise<boolean> {
    const res = await this.repo.update({ id, status: In(from), ...fenceWhere(fence) }, set as never);
    return !!res.affected;
  }

  /** The final transition: the status change and the release of the task's locks commit together,
   * so whoever ends a task (its runner, a cancel, the orphan sweep) frees its objects. */
  private async applyFinal(id: string, set: Partial<TaskEntity>, fence?: TaskFence): Promise<boolean> {
    return this.repo.manager.transaction(async (em) => {
      const where = { id, status: In(ACTIVE), ...fenceWhere(fence) };
      const res = await em.update(TaskEntity, where, set as never);
      if (res.affected) await this.taskRepo.deleteLocksOf(em, id);
      return !!res.affected;
    });
  }

  private async transition(
    id: string,
    from: TaskStatus[],
    set: Partial<TaskEntity>,
    fence?: TaskFence,
    apply = (): Promise<boolean> => this.applyIf(id, from, set, fence),
  ): Promise<Task> {
    if (!(await apply())) {
      await this.assertOwner(id, fence);
      const current = await this.get(id);
      throw invalidState(`task ${id} is ${current.status}, not ${from.join(' or ')}`, [
        { reason: `status is ${current.status}`, ref: { type: ObjectType.Task, id } },
      ]);
    }
    return this.get(id);
  }

  /** TaskFenced when another engine owns the task now (a refused write of a runner taken for dead). */
  private async assertOwner(id: string, fence?: TaskFence): Promise<void> {
    if (!fence) return;
    const row = await this.repo.findOne({
      where: { id },
      select: { id: true, ownerEngine: true, ownerGeneration: true },
    });
    if (row && isFencedOut(fence, row))
      throw new TaskFenced(id, fence, { owner: row.ownerEngine, generation: row.ownerGeneration });
  }

  private async finish(
    id: string,
    status: TaskStatus,
    set: Partial<TaskEntity>,
    fence?: TaskFence,
  ): Promise<Task> {
    const final = { ...set, status, finishedAt: new Date() };
    const task = await this.transition(id, ACTIVE, final, fence, () => this.applyFinal(id, final, fence));
    const seconds = (final.finishedAt.getTime() - new Date(task.createdAt).getTime()) / 1000;
    this.metrics?.taskFinished(task.type, status, seconds);
    await this.publish('task.finished', task);
    const severity =
      status === TaskStatus.Succeeded
        ? EventSeverity.Info
        : status === TaskStatus.Failed
          ? EventSeverity.Error
          : EventSeverity.Warning;
    const what = task.target ? ` on ${task.target.type} ${task.target.name ?? task.target.id}` : '';
    const why = task.errorMessage ? `: ${task.errorMessage}` : '';
    await this.events.record({
      severity,
      type: `task.${status}`,
      message: `task ${task.type}${what} ${status}${why}`,
      refs: [...(task.target ? [task.target] : []), { type: ObjectType.Task, id: task.id }],
      correlationId: task.correlationId,
    });
    return task;
  }

  private async publish(type: 'task.created' | 'task.progress' | 'task.finished', task: Task): Promise<void> {
    const refs: ObjectRef[] = [{ type: ObjectType.Task, id: task.id }, ...(task.target ? [task.target] : [])];
    await this.stream.publish({ type, task, refs, correlationId: task.correlationId });
  }
}
