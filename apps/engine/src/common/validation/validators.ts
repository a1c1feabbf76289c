import { isIP } from 'node:net';
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, NAME_PATTERN } from '@kelpie/shared-types';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, ValidationOptions, registerDecorator } from 'class-validator';

/** No NUL or other control characters (tab and newlines allowed): Postgres rejects NUL, logs choke on the rest. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function IsSafeText(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSafeText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must not contain control characters`, ...options },
      validator: { validate: (v: unknown) => typeof v !== 'string' || !CONTROL_CHARS.test(v) },
    });
}

const NAME_MESSAGE = `must be 1-${NAME_MAX_LENGTH} characters of letters, digits, "_", "." or "-"`;

/** An inventory object name (required unless `optional`). */
export function IsName(optional = false): PropertyDecorator {
  const doc = { pattern: NAME_PATTERN.source, maxLength: NAME_MAX_LENGTH, example: 'prod-1' };
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    IsString(),
    MaxLength(NAME_MAX_LENGTH),
    Matches(NAME_PATTERN, { message: (a) => `${a.property} ${NAME_MESSAGE}` }),
  );
}

export function IsDescription(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ maxLength: DESCRIPTION_MAX_LENGTH, default: '' }),
    IsString(),
    MaxLength(DESCRIPTION_MAX_LENGTH),
    IsSafeText(),
  );
}

/** Turns `true`/`false` query strings into booleans (anything else stays and fails IsBoolean). */
export const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** A DNS name or an IPv4/IPv6 address. */
export function IsHostAddress(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isHostAddress',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a host name or an IP address`, ...options },
      validator: {
        validate: (v: unknown) => typeof v === 'string' && (isIP(v) !== 0 || HOSTNAME.test(v)),
      },
    });
}

/** An absolute path without `..` segments or characters a shell or XML would interpret. */
export const ABSOLUTE_PATH = /^(?!.*\/\.\.?(\/|$))\/[A-Za-z0-9._+@/-]{0,1023}$/;
