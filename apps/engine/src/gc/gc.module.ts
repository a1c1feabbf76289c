import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { GarbageCollectorService } from './garbage-collector.service';
import { GcController } from './gc.controller';
import { GcRepository } from './gc.repository';

@Module({
  imports: [AgentsModule],
  controllers: [GcController],
  providers: [GarbageCollectorService, GcRepository],
})
export class GcModule {}
