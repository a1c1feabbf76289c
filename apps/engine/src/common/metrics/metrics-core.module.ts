import { Global, Module } from '@nestjs/common';
import { EngineMetrics } from './engine-metrics';

/** One EngineMetrics per engine, injectable everywhere (features record their events on it). */
@Global()
@Module({ providers: [EngineMetrics], exports: [EngineMetrics] })
export class MetricsCoreModule {}
