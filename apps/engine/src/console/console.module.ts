import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { EventsModule } from '../events/events.module';
import { VmsModule } from '../vms/vms.module';
import { ConsoleProxyService } from './console-proxy.service';
import { ConsoleTicketService } from './console-ticket.service';
import { ConsoleController } from './console.controller';
import { ConsoleService } from './console.service';

/** VM consoles in the browser: one-time tickets and the WebSocket proxy (ADR 0006). */
@Module({
  imports: [VmsModule, AgentsModule, EventsModule],
  controllers: [ConsoleController],
  providers: [ConsoleTicketService, ConsoleService, ConsoleProxyService],
  exports: [ConsoleTicketService, ConsoleProxyService],
})
export class ConsoleModule {}
