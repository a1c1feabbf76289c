import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { AgentsModule } from '../agents/agents.module';
import { GarbageCollectorService } from './garbage-collector.service';
import { GcController } from './gc.controller';
import { GcRepository } from './gc.repository';
import { StaleCopyRemover } from './stale-copy-remover.service';

@Module({
  imports: [AgentsModule, InventoryModule],
  controllers: [GcController],
  providers: [GarbageCollectorService, GcRepository, StaleCopyRemover],
})
export class GcModule {}
