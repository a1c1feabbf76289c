import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { StatsController } from './stats.controller';
import { StatsHistoryService } from './stats-history.service';

@Module({
  imports: [InventoryModule],
  controllers: [StatsController],
  providers: [StatsHistoryService],
  exports: [StatsHistoryService],
})
export class StatsModule {}
