import { StreamMessage } from '@kelpie/shared-types';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { filter } from 'rxjs';
import { UuidParam } from '../common/http/uuid-param';
import { ApiErrors, ApiPage } from '../common/http/openapi';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { serveSse } from '../stream/sse-connection';
import { StreamClientsService, streamClientKey } from '../stream/stream-clients.service';
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
    private readonly clients: StreamClientsService,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  /** Declared before `:id` so `stream` is never taken for an id. */
  @Get('stream')
  @ApiOperation({
    summary: 'Live stream (Server-Sent Events)',
    description:
      'One JSON `StreamMessage` per `data:` line; a `: heartbeat` comment every 15 s. ' +
      'Filters: objectType, objectId (match any object the message concerns), types. At most ' +
      '`KELPIE_STREAM_MAX_PER_CLIENT` connections per client (`X-Kelpie-User`, else its address): 429 past it. ' +
      'A client that does not read gets a `stream.resync` message and is disconnected. See docs/api.md.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream of StreamMessage' })
  @ApiErrors(400, 429)
  live(@Query() query: StreamQuery, @Req() req: Request, @Res() res: Response): void {
    const client = streamClientKey(req);
    const release = this.clients.acquire(client);
    serveSse(req, res, this.stream.messages.pipe(filter((m) => matches(m, query))), {
      maxBacklogBytes: this.config.streamMaxBacklogBytes,
      onClose: release,
      client,
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
