import { Module } from '@nestjs/common';
import { ClonesModule } from '../clones/clones.module';
import { CloudInitAdoption } from './cloud-init-adoption';
import { CloudInitController } from './cloud-init.controller';
import { CloudInitService } from './cloud-init.service';

@Module({
  imports: [ClonesModule],
  controllers: [CloudInitController],
  providers: [CloudInitService, CloudInitAdoption],
})
export class CloudInitModule {}
