import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { EventEntity } from './event.entity';

/** The audit log's statements beyond plain entity reads and writes. */
@Injectable()
export class EventRepository {
  constructor(@InjectRepository(EventEntity) private readonly events: Repository<EventEntity>) {}

  /** Deletes up to `batch` events older than `cutoff`, oldest first (rows another engine is deleting
   * are skipped); returns how many. */
  async deleteExpired(cutoff: Date, batch: number): Promise<number> {
    const [, deleted] = (await this.events.query(
      `DELETE FROM event WHERE id IN (
         SELECT id FROM event WHERE time < $1 ORDER BY time LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [cutoff, batch],
    )) as [unknown, number];
    return deleted;
  }
}
