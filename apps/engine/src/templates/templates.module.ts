import { Module } from '@nestjs/common';
import { ClonesModule } from '../clones/clones.module';
import { TemplatesController, TemplatesService } from './templates.controller';

@Module({
  imports: [ClonesModule],
  controllers: [TemplatesController],
  providers: [TemplatesService],
})
export class TemplatesModule {}
