import { STREAM_HEARTBEAT_SECONDS, StreamMessage } from '@kelpie/shared-types';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { filter } from 'rxjs';
import { UuidParam } from '../common/http/uuid-param';
import { ApiErrors, ApiPage } from '../common/http/openapi';
import { StreamService } from '../stream/stream.service';
import { EventEntity } from './event.entity';
import { EventListQuery, StreamQuery } from './events.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly stream: StreamService,
  ) {}

  /** Declared before `:id` so `stream` is never taken for an id. */
  @Get('stream')
  @ApiOperation({
    summary: 'Live stream (Server-Sent Events)',
    description:
      'One JSON `StreamMessage` per `data:` line; a `: heartbeat` comment every 15 s. ' +
      'Filters: objectType, objectId (match any object the message concerns), types. See docs/api.md.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream of StreamMessage' })
  @ApiErrors(400)
  live(@Query() query: StreamQuery, @Req() req: Request, @Res() res: Response): void {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write(`retry: 3000\n: connected\n\n`);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), STREAM_HEARTBEAT_SECONDS * 1000);
    const subscription = this.stream.messages.pipe(filter((m) => matches(m, query))).subscribe({
      next: (m) => res.write(`event: message\ndata: ${JSON.stringify(m)}\n\n`),
      // The engine is shutting down: end the response so the HTTP server can close.
      complete: () => res.end(),
    });
    req.on('close', () => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
    });
  }

  @Get()
  @ApiOperation({ summary: 'List audit events (newest first by default)' })
  @ApiPage(EventEntity)
  @ApiErrors(400)
  list(@Query() query: EventListQuery) {
    return this.events.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: EventEntity })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string) {
    return this.events.get(id);
  }
}

export function matches(m: StreamMessage, q: StreamQuery): boolean {
  if (q.types?.length && !q.types.includes(m.type)) return false;
  if (q.objectType && !m.refs.some((r) => r.type === q.objectType)) return false;
  if (q.objectId && !m.refs.some((r) => r.id === q.objectId)) return false;
  return true;
}
