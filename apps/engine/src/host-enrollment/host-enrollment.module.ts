import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { TrustModule } from '../trust/trust.module';
import { EnrollmentService } from './enrollment.service';
import { HostsController } from './hosts.controller';

/** The hosts API: registration, enrollment over SSH (install/upgrade of the agent), removal. */
@Module({
  imports: [InventoryModule, AgentsModule, TrustModule],
  controllers: [HostsController],
  providers: [EnrollmentService],
})
export class HostEnrollmentModule {}
