import { CanList } from '../auth/access.decorator';
import { StreamMessage } from '@kelpie/shared-types';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { concatMap, filter } from 'rxjs';
import { AccessService } from '../auth/access.service';
import { principalOf } from '../common/identity/principal';
import { StreamVisibility } from '../auth/stream-visibility';
import { UuidParam } from '../common/http/uuid-param';
import { ApiErrors, ApiPage } from '../common/http/openapi';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { serveSse } from '../stream/sse-connection';
import { StreamClientsService, streamClientKey } from '../stream/stream-clients.service';
import { StreamService } from '../stream/stream.service';
import { AuditEventResponse } from '../events/event.response';
import { EventListQuery, StreamQuery } from '../events/events.dto';
import { EventsService } from '../events/events.service';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly stream: StreamService,
    private readonly clients: StreamClientsService,
    private readonly access: AccessService,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  /** Declared before `:id` so `stream` is never taken for an id. */
  @Get('stream')
  @CanList('event')
  @ApiOperation({
    summary: 'Live stream (Server-Sent Events)',
    description:
      'One JSON `StreamMessage` per `data:` line; a `: heartbeat` comment every 15 s. ' +
      'Filters: objectType, objectId (match any object the message concerns), types. At most ' +
      '`KELPIE_STREAM_MAX_PER_CLIENT` connections per user across all engines: 429 past it. Only messages about ' +
      'objects the caller may see are sent. ' +
      'A client that does not read gets a `stream.resync` message and is disconnected. See docs/api.md.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream of StreamMessage' })
  @ApiErrors(400, 429)
  async live(@Query() query: StreamQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const principal = principalOf(req)!;
    const client = streamClientKey(principal);
    const release = await this.clients.acquire(client);
    // Gone while its connection was being counted: its close event has passed already.
    if (req.socket.destroyed) return release();
    const visible = new StreamVisibility(this.access, principal);
    const messages = this.stream.messages.pipe(
      filter((m) => matches(m, query)),
      concatMap(async (m) => ((await visible.canSee(m)) ? [m] : [])),
      concatMap((m) => m),
    );
    serveSse(req, res, messages, {
      maxBacklogBytes: this.config.streamMaxBacklogBytes,
      onClose: release,
      client,
    });
  }

  @Get()
  @CanList('event')
  @ApiOperation({ summary: 'List audit events (newest first by default)' })
  @ApiPage(AuditEventResponse)
  @ApiErrors(400)
  list(@Query() query: EventListQuery) {
    return this.events.list(query);
  }

  @Get(':id')
  @CanList('event')
  @ApiOkResponse({ type: AuditEventResponse })
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
