import { ROLLING_HOST_ACTIONS, RollingHostAction, RollingMaintenanceRequest } from '@kelpie/shared-types';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';

/** `POST /clusters/{id}/rolling-maintenance`. */
export class StartRollingMaintenanceDto implements RollingMaintenanceRequest {
  @ApiPropertyOptional({
    enum: ROLLING_HOST_ACTIONS,
    default: 'reactivate',
    description:
      'Once a host is in maintenance: `reactivate` it at once, or `wait_for_admin` (who works on it, then ' +
      'continues with `POST /clusters/{id}/rolling-maintenance/continue` or by activating the host).',
  })
  @IsOptional()
  @IsIn(ROLLING_HOST_ACTIONS)
  action?: RollingHostAction;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'The hosts to maintain, in this order (default: every host of the cluster, by name).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  hostIds?: string[];
}
