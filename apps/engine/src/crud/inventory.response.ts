import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, NAME_PATTERN } from '@kelpie/shared-types';
import { ApiProperty } from '@nestjs/swagger';
import type { InventoryColumns } from '../common/entities/inventory-columns';

/** The fields every named inventory object answers with (the OpenAPI schema of its response). */
export abstract class InventoryResponse {
  @ApiProperty({ maxLength: NAME_MAX_LENGTH, pattern: NAME_PATTERN.source })
  name!: string;

  @ApiProperty({ maxLength: DESCRIPTION_MAX_LENGTH })
  description!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;
}

/** The common fields of an inventory entity as its response has them. */
export function mapInventoryColumns(e: InventoryColumns): InventoryResponse {
  return {
    name: e.name,
    description: e.description,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}
