import { Global, Module } from '@nestjs/common';
import { StreamClientsService } from './stream-clients.service';
import { StreamService } from './stream.service';

@Global()
@Module({
  providers: [StreamService, StreamClientsService],
  exports: [StreamService, StreamClientsService],
})
export class StreamModule {}
