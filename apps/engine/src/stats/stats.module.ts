import { Module } from '@nestjs/common';
import { StatsController } from './stats.controller';
import { StatsHistoryService } from './stats-history.service';

@Module({ controllers: [StatsController], providers: [StatsHistoryService], exports: [StatsHistoryService] })
export class StatsModule {}
