import { Module } from '@nestjs/common';
import { ClonesModule } from '../clones/clones.module';
import { CloudInitController } from './cloud-init.controller';
import { CloudInitService } from './cloud-init.service';

@Module({
  imports: [ClonesModule],
  controllers: [CloudInitController],
  providers: [CloudInitService],
})
export class CloudInitModule {}
