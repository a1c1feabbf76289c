import { ApiErrorDetail } from '@kelpie/shared-types';
import { ArgumentMetadata, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { validationFailed } from '../errors/domain-error';

/** Keys that name something every object inherits (`constructor`, `toString`, `__proto__`, …) or a
 * function's `prototype`: never a field of any DTO. */
export function isReservedKey(key: string): boolean {
  return key === 'prototype' || key in Object.prototype;
}

/** Every reserved key in a parsed body or query, at any depth, as `a.b.0.c` paths. */
export function reservedKeyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const key of Object.keys(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isReservedKey(key)) found.push(path);
    else found.push(...reservedKeyPaths((value as Record<string, unknown>)[key], path));
  }
  return found;
}

/**
 * Nest's ValidationPipe with one hole closed: class-validator's whitelist looks fields up in a plain
 * object, so a key inherited from Object.prototype (`constructor`, `toString`, `__proto__`) counts
 * as a known field and slips through `forbidNonWhitelisted`. Such keys are refused here, for every
 * DTO and query, with a 400 naming the field, before class-transformer ever sees them.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor(options: ValidationPipeOptions) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const fromClient = metadata.type === 'body' || metadata.type === 'query';
    const reserved = fromClient ? reservedKeyPaths(value) : [];
    if (reserved.length) {
      const details: ApiErrorDetail[] = reserved.map((field) => ({
        field,
        reason: `property ${field} should not exist`,
      }));
      throw validationFailed(`invalid input: ${reserved.join(', ')}`, details);
    }
    return super.transform(value, metadata);
  }
}
