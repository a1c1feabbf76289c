import { ErrorCode, values } from '@kelpie/shared-types';
import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import { ESTIMATE_TOTAL_ABOVE } from '../list/list-query';

@ApiSchema({ name: 'ApiErrorRef' })
class ApiErrorRefDoc {
  @ApiProperty() type!: string;
  @ApiProperty() id!: string;
  @ApiPropertyOptional() name?: string;
}

@ApiSchema({ name: 'ApiErrorDetail' })
class ApiErrorDetailDoc {
  @ApiPropertyOptional({ description: 'Offending input field (validation) or constraint.' }) field?: string;
  @ApiProperty() reason!: string;
  @ApiPropertyOptional({ type: ApiErrorRefDoc, description: 'Object blocking the action or not found.' })
  ref?: ApiErrorRefDoc;
}

/** The one error shape (shared-types `ApiErrorBody`). */
@ApiSchema({ name: 'ApiError' })
export class ApiErrorDoc {
  @ApiProperty({ enum: values(ErrorCode) }) code!: ErrorCode;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: [ApiErrorDetailDoc] }) details?: ApiErrorDetailDoc[];
}

const ERROR_TEXT: Record<number, string> = {
  400: 'validation_failed: invalid input; `details` names every offending field',
  404: 'not_found',
  409: 'conflict / has_children / invalid_state; `details` names the blocking objects',
  429: 'rate_limited: too many requests or connections from this client; retry later',
};

export function ApiErrors(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, type: ApiErrorDoc, description: ERROR_TEXT[status] })),
  );
}

/** `Page<T>`: `{ items, total, limit, offset, totalEstimated? }`. */
export function ApiPage(model: Type<unknown>): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['items', 'total', 'limit', 'offset'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          total: { type: 'integer', description: 'Matches of the filters over all pages.' },
          limit: { type: 'integer' },
          offset: { type: 'integer' },
          totalEstimated: {
            type: 'boolean',
            description: `Present and true when the list has no filter and the table holds more than ${ESTIMATE_TOTAL_ABOVE} rows: \`total\` is then Postgres' row estimate, not an exact count.`,
          },
        },
      },
    }),
  );
}
