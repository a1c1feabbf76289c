import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HostEntity } from '../hosts/host.entity';
import { TrustModule } from '../trust/trust.module';
import { PowerManagementController } from './power-management.controller';
import { HostPowerManagementEntity } from './power-management.entity';
import { PowerManagementService } from './power-management.service';

/** Hosts' BMCs: settings with a sealed password, the test action, the power calls fencing makes. */
@Module({
  imports: [TypeOrmModule.forFeature([HostPowerManagementEntity, HostEntity]), TrustModule],
  controllers: [PowerManagementController],
  providers: [PowerManagementService],
  exports: [PowerManagementService],
})
export class PowerManagementModule {}
