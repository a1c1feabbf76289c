import {
  MAINTENANCE_CHOICES,
  MaintenanceChoice,
  MaintenancePlan,
  MaintenancePlanMove,
} from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsUUID, ValidateIf } from 'class-validator';
import { ShutdownVmDto } from '../vms/vm-devices.dto';

/** `POST /hosts/{id}/maintenance/resolve`: what to do about one VM that keeps the host preparing. */
export class ResolveMaintenanceDto extends ShutdownVmDto {
  @ApiProperty({ format: 'uuid', description: 'A VM still running on the host.' })
  @IsUUID('all')
  vmId!: string;

  @ApiProperty({
    enum: MAINTENANCE_CHOICES,
    description:
      '`shutdown` (guest shutdown; here `forceAfterTimeout` defaults to true: powered off after `timeoutSeconds`), ' +
      '`poweroff`, or `migrate` to `targetHostId`.',
  })
  @IsIn(MAINTENANCE_CHOICES)
  choice!: MaintenanceChoice;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required with `migrate`: the host the admin picked.' })
  @ValidateIf((o: ResolveMaintenanceDto) => o.choice === 'migrate' || o.targetHostId !== undefined)
  @IsUUID('all')
  targetHostId?: string;
}

@ApiSchema({ name: 'MaintenancePlanMove' })
export class MaintenancePlanMoveDoc implements MaintenancePlanMove {
  @ApiProperty({ format: 'uuid' }) vmId!: string;
  @ApiProperty() vmName!: string;
  @ApiProperty() memoryMib!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) targetHostId!: string | null;
  @ApiProperty({ type: String, nullable: true }) targetHostName!: string | null;
  @ApiProperty() reason!: string;
}

@ApiSchema({ name: 'MaintenancePlanStoppedVm' })
export class MaintenancePlanStoppedDoc {
  @ApiProperty({ format: 'uuid' }) vmId!: string;
  @ApiProperty() vmName!: string;
}

@ApiSchema({ name: 'MaintenancePlan' })
export class MaintenancePlanDoc implements MaintenancePlan {
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty() hostName!: string;
  @ApiProperty() hostStatus!: string;
  @ApiProperty({ type: [MaintenancePlanMoveDoc] }) running!: MaintenancePlanMove[];
  @ApiProperty({ type: [MaintenancePlanStoppedDoc] }) stopped!: { vmId: string; vmName: string }[];
  @ApiProperty() blocked!: number;
  @ApiProperty() summary!: string;
  @ApiProperty({ enum: MAINTENANCE_CHOICES, isArray: true }) choices!: MaintenanceChoice[];
}
