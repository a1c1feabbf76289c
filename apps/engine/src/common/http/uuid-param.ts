import { Param, ParseUUIDPipe } from '@nestjs/common';
import { validationFailed } from '../errors/domain-error';

/** A UUID path parameter: a malformed one is a 400 naming the parameter (a well-formed unknown one is 404). */
export function UuidParam(name = 'id'): ParameterDecorator {
  return Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        validationFailed(`${name} must be a UUID`, [{ field: name, reason: 'must be a UUID' }]),
    }),
  );
}
