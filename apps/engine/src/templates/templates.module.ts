import { Module } from '@nestjs/common';
import { ClonesModule } from '../clones/clones.module';
import { TemplateAdoption } from './template-adoption';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

@Module({
  imports: [ClonesModule],
  controllers: [TemplatesController],
  providers: [TemplatesService, TemplateAdoption],
})
export class TemplatesModule {}
