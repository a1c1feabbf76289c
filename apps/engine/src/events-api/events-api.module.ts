import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';

/** The audit log and the live stream as the API serves them: above identity and access, which
 * decide what each caller may see, while the audit writer (events/) stays below them. */
@Module({ controllers: [EventsController] })
export class EventsApiModule {}
