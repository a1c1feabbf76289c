import type { OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';

export type SchemaObject = Exclude<
  NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string],
  { $ref: string }
>;

/** The OpenAPI schema of a shared-types zod shape the API passes on as it is (agent reports, VM specs),
 * so the published document and the runtime check come from one definition. */
export const schemaOf = (s: z.ZodType): SchemaObject =>
  z.toJSONSchema(s, { target: 'openapi-3.0', io: 'output' }) as SchemaObject;
