import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { ScheduleEntity, ScheduleRunEntity } from './schedule.entity';

/** What a claimed run records until the action is launched: true if the engine stops right there. */
const CLAIMED_REASON = 'claimed; the engine stopped before the action was launched';

/** Schedules and their runs. */
@Injectable()
export class SchedulesRepository {
  constructor(
    @InjectRepository(ScheduleEntity) private readonly schedules: Repository<ScheduleEntity>,
    @InjectRepository(ScheduleRunEntity) private readonly runs: Repository<ScheduleRunEntity>,
  ) {}

  async insert(s: ScheduleEntity): Promise<ScheduleEntity> {
    await this.schedules.save(s);
    return this.schedules.findOneByOrFail({ id: s.id });
  }

  async remove(id: string): Promise<void> {
    await this.schedules.delete({ id });
  }

  get(id: string): Promise<ScheduleEntity | null> {
    return this.schedules.findOneBy({ id });
  }

  /** Active first, then by creation, newest first. */
  list(): Promise<ScheduleEntity[]> {
    return this.schedules
      .createQueryBuilder('s')
      .orderBy(`CASE s.state WHEN 'active' THEN 0 ELSE 1 END`)
      .addOrderBy('s.created_at', 'DESC')
      .getMany();
  }

  active(): Promise<ScheduleEntity[]> {
    return this.schedules.findBy({ state: 'active' });
  }

  /**
   * Claims the run of `scheduleId` due at `dueAt`: the run's row is inserted unless it exists or the
   * schedule is no longer active. Returns the run's id, or null when another engine has it (or the
   * schedule was cancelled). This is what makes a run happen once however many engines see its job.
   */
  async claimRun(scheduleId: string, dueAt: Date): Promise<string | null> {
    const id = randomUUID();
    const rows = (await this.runs.query(
      `INSERT INTO schedule_run (id, schedule_id, due_at, outcome, reason)
       SELECT $1, $2, $3, 'refused', $4
       WHERE EXISTS (SELECT 1 FROM schedule WHERE id = $2 AND state = 'active')
       ON CONFLICT ON CONSTRAINT uq_schedule_run_due DO NOTHING
       RETURNING id`,
      [id, scheduleId, dueAt, CLAIMED_REASON],
    )) as { id: string }[];
    return rows.length ? id : null;
  }

  async finishRun(
    id: string,
    outcome: ScheduleRunEntity['outcome'],
    taskId: string | null,
    reason: string | null,
  ): Promise<void> {
    await this.runs.update({ id }, { outcome, taskId, reason });
  }

  hasRun(scheduleId: string): Promise<boolean> {
    return this.runs.existsBy({ scheduleId });
  }

  /** A one-time schedule after its run. */
  async markDone(id: string): Promise<void> {
    await this.schedules.update({ id, state: 'active' }, { state: 'done' });
  }

  /** True if it was active (and is now cancelled). */
  async cancel(id: string): Promise<boolean> {
    const r = await this.schedules.update(
      { id, state: 'active' },
      { state: 'cancelled', cancelledAt: new Date() },
    );
    return (r.affected ?? 0) > 0;
  }

  /**
   * Deletes a batch of runs due before `cutoff`, then the finished or cancelled schedules left with no
   * run and created before it. Active schedules stay whatever their age: they still have runs to come.
   */
  async deleteExpiredRuns(cutoff: Date, batch: number): Promise<number> {
    const [, runs] = (await this.runs.query(
      `DELETE FROM schedule_run WHERE id IN (
         SELECT id FROM schedule_run WHERE due_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [cutoff, batch],
    )) as [unknown, number];
    const [, schedules] = (await this.schedules.query(
      `DELETE FROM schedule WHERE id IN (
         SELECT s.id FROM schedule s WHERE s.state <> 'active' AND s.created_at < $1
           AND NOT EXISTS (SELECT 1 FROM schedule_run r WHERE r.schedule_id = s.id)
         LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [cutoff, batch],
    )) as [unknown, number];
    return runs + schedules;
  }

  runsOf(scheduleId: string): Promise<ScheduleRunEntity[]> {
    return this.runs.find({ where: { scheduleId }, order: { dueAt: 'DESC' } });
  }
}
