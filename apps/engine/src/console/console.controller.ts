import { Can, on } from '../auth/access.decorator';
import { ConsoleKind, ConsoleTicket, Permission } from '@kelpie/shared-types';
import { Controller, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiSchema,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { ConsoleService } from './console.service';

@ApiSchema({ name: 'ConsoleTicket' })
class ConsoleTicketDoc implements ConsoleTicket {
  @ApiProperty({ description: '256-bit random (base64url), single use.' }) ticket!: string;
  @ApiProperty({ enum: ['vnc', 'serial'] }) kind!: ConsoleKind;
  @ApiProperty({ format: 'uuid' }) vmId!: string;
  @ApiProperty({ format: 'date-time', description: 'The ticket is refused after this time (≤ 60 s).' })
  expiresAt!: string;
  @ApiProperty({ description: 'WebSocket path to open, ticket included.' }) wsPath!: string;
  @ApiPropertyOptional({ description: 'Never set: the engine authenticates to the VNC server itself.' })
  password?: string;
}

@ApiTags('console')
@Controller('vms')
export class ConsoleController {
  constructor(private readonly consoles: ConsoleService) {}

  @Post(':id/console')
  @Can(Permission.VmConsole, on.param('vm'))
  @ApiOperation({
    summary: 'One-time ticket for the VM’s graphical console (noVNC over the console WebSocket)',
  })
  @ApiCreatedResponse({ type: ConsoleTicketDoc })
  @ApiErrors(400, 404, 409)
  vnc(@UuidParam() id: string, @Meta() meta: RequestMeta): Promise<ConsoleTicket> {
    return this.consoles.open(id, 'vnc', meta);
  }

  @Post(':id/serial-console')
  @Can(Permission.VmConsole, on.param('vm'))
  @ApiOperation({
    summary: 'One-time ticket for the VM’s serial console (raw bytes over the console WebSocket)',
  })
  @ApiCreatedResponse({ type: ConsoleTicketDoc })
  @ApiErrors(400, 404, 409)
  serial(@UuidParam() id: string, @Meta() meta: RequestMeta): Promise<ConsoleTicket> {
    return this.consoles.open(id, 'serial', meta);
  }
}
