import { ApiErrorDetail } from '@kelpie/shared-types';
import type { ValidationError } from 'class-validator';
import { validationFailed } from '../errors/domain-error';

/** class-validator's nested errors → one flat list of `{ field, reason }`. */
export function validationExceptionFactory(errors: ValidationError[]) {
  const details: ApiErrorDetail[] = [];
  const walk = (list: ValidationError[], prefix: string) => {
    for (const e of list) {
      const field = prefix ? `${prefix}.${e.property}` : e.property;
      for (const reason of Object.values(e.constraints ?? {})) details.push({ field, reason });
      if (e.children?.length) walk(e.children, field);
    }
  };
  walk(errors, '');
  const fields = [...new Set(details.map((d) => d.field))].join(', ');
  return validationFailed(`invalid input: ${fields}`, details);
}
