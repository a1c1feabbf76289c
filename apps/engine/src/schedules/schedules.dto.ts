import { CreateScheduleRequest, SCHEDULE_ACTIONS, ScheduleAction } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsName } from '../common/validation/validators';
import { MigrateVmDto } from '../vm-migration/vm-migration.dto';

/** A snapshot's name is `<prefix>-<due time, 16 characters>`, within the 64 of a name. */
export const SNAPSHOT_PREFIX_MAX = 40;

const isVmAction = (a: unknown) => typeof a === 'string' && a.startsWith('vm.');

export class CreateScheduleDto implements CreateScheduleRequest {
  @ApiProperty({ enum: SCHEDULE_ACTIONS })
  @IsIn(SCHEDULE_ACTIONS)
  action!: ScheduleAction;

  @IsOptional()
  @IsName(true)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The VM of a vm.* action.' })
  @ValidateIf((o: CreateScheduleDto) => isVmAction(o.action) || o.vmId !== undefined)
  @IsUUID('all')
  vmId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The host of host.maintenance.' })
  @ValidateIf((o: CreateScheduleDto) => o.action === 'host.maintenance' || o.hostId !== undefined)
  @IsUUID('all')
  hostId?: string;

  @ApiPropertyOptional({ type: MigrateVmDto, description: 'vm.migrate: the migrate body.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MigrateVmDto)
  migrate?: MigrateVmDto;

  @ApiPropertyOptional({
    maxLength: SNAPSHOT_PREFIX_MAX,
    description: 'vm.snapshot: snapshots are named `<prefix>-<due time UTC, e.g. 20270101T020000Z>`.',
  })
  @ValidateIf((o: CreateScheduleDto) => o.action === 'vm.snapshot' || o.snapshotPrefix !== undefined)
  @MaxLength(SNAPSHOT_PREFIX_MAX)
  @IsName()
  snapshotPrefix?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'One run at this time (in the future).' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  runAt?: string;

  @ApiPropertyOptional({
    example: '0 2 * * 6',
    description: 'Recurring: 5 fields (minute first) or 6 (second first). Exactly one of runAt and cron.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  cron?: string;

  @ApiPropertyOptional({ default: 'UTC', example: 'Europe/Berlin', description: 'IANA zone of `cron`.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}
