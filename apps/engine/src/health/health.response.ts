import type { DependencyHealth, DependencyState, HealthReport } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DependencyHealthResponse implements DependencyHealth {
  @ApiProperty({ enum: ['up', 'down'] })
  status!: DependencyState;

  @ApiPropertyOptional({ description: 'Round trip of the probe in milliseconds, when it answered.' })
  latencyMs?: number;

  @ApiPropertyOptional({ description: 'Why it is down, in words a person can act on.' })
  message?: string;
}

/** `GET /health`: the same shape with 200 (ok) and 503 (degraded). */
export class HealthReportResponse implements HealthReport {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  status!: 'ok' | 'degraded';

  @ApiProperty()
  version!: string;

  @ApiProperty({ type: DependencyHealthResponse })
  postgres!: DependencyHealthResponse;

  @ApiProperty({ type: DependencyHealthResponse })
  redis!: DependencyHealthResponse;
}
