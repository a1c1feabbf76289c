import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { HostsModule } from '../hosts/hosts.module';
import { TrustModule } from '../trust/trust.module';
import { PowerManagementController } from './power-management.controller';
import { HostPowerManagementEntity } from './power-management.entity';
import { PowerManagementService } from './power-management.service';

/** Hosts' BMCs: settings with a sealed password, the test action, the power calls fencing makes (run
 * by a proxy host's agent or the engine). */
@Module({
  imports: [TypeOrmModule.forFeature([HostPowerManagementEntity]), HostsModule, TrustModule, AgentsModule],
  controllers: [PowerManagementController],
  providers: [PowerManagementService],
  exports: [PowerManagementService],
})
export class PowerManagementModule {}
