import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { FleetStatsService } from './fleet-stats.service';
import { StatsController } from './stats.controller';
import { StatsHistoryService } from './stats-history.service';

@Module({
  imports: [InventoryModule],
  controllers: [StatsController],
  providers: [StatsHistoryService, FleetStatsService],
  exports: [StatsHistoryService],
})
export class StatsModule {}
