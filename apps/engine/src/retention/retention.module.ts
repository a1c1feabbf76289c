import { Module } from '@nestjs/common';
import { VmMigrationModule } from '../vm-migration/vm-migration.module';
import { RetentionService } from './retention.service';

@Module({ imports: [VmMigrationModule], providers: [RetentionService], exports: [RetentionService] })
export class RetentionModule {}
