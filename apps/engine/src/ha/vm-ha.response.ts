import { VM_HA_STATES, VmHaEvent, VmHaState, VmHaStatus } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'VmHaEvent' })
export class VmHaEventResponse implements VmHaEvent {
  @ApiProperty({ type: String, format: 'date-time' })
  at!: string;

  @ApiProperty({
    enum: ['other-host', 'same-host'],
    description: '`other-host`: after its host was fenced; `same-host`: after its QEMU crashed',
  })
  kind!: VmHaEvent['kind'];

  @ApiProperty()
  message!: string;

  @ApiProperty({ format: 'uuid', description: 'The audit event' })
  eventId!: string;
}

@ApiSchema({ name: 'VmHaStatus' })
export class VmHaStatusResponse implements VmHaStatus {
  @ApiProperty()
  highlyAvailable!: boolean;

  @ApiProperty({ minimum: 0, maximum: 100, description: 'Order of HA restarts (higher first)' })
  priority!: number;

  @ApiProperty({ enum: VM_HA_STATES })
  state!: VmHaState;

  @ApiProperty({ description: 'Why the VM is in this state' })
  detail!: string;

  @ApiProperty({ type: VmHaEventResponse, nullable: true, description: 'The last HA restart (null: never)' })
  lastRestart!: VmHaEventResponse | null;

  @ApiProperty({
    type: VmHaEventResponse,
    nullable: true,
    description: 'The last failed or given-up restart, when newer than the last restart',
  })
  lastFailure!: VmHaEventResponse | null;
}
