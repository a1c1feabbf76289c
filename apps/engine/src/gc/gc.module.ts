import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { GarbageCollectorService } from './garbage-collector.service';
import { GcController } from './gc.controller';

@Module({
  imports: [AgentsModule],
  controllers: [GcController],
  providers: [GarbageCollectorService],
})
export class GcModule {}
