import { DynamicModule, Global, Module } from '@nestjs/common';
import { EngineConfig } from './config.schema';

export const ENGINE_CONFIG = Symbol('ENGINE_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: EngineConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: ENGINE_CONFIG, useValue: config }],
      exports: [ENGINE_CONFIG],
    };
  }
}
