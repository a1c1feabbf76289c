import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { TrustModule } from '../trust/trust.module';
import { EnrollmentService } from './enrollment.service';
import { HostCredentialsController } from './host-credentials.controller';
import { HostsController } from './hosts.controller';
import { ManualDeployCredentialsService } from './manual-deploy-credentials.service';

/** The hosts API: registration, enrollment over SSH (install/upgrade of the agent), credentials for
 * agents deployed by other means, removal. */
@Module({
  imports: [InventoryModule, AgentsModule, TrustModule],
  controllers: [HostsController, HostCredentialsController],
  providers: [EnrollmentService, ManualDeployCredentialsService],
})
export class HostEnrollmentModule {}
