import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsString,
  MaxLength,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { IsOmittable } from '@app/common';
import { isCalendarDate } from '../birth-date';

/**
 * Control characters, and format characters (bidi overrides, zero-width spaces) that make a name
 * invisible or misleading; the zero-width joiner of emoji sequences is allowed.
 */
const HIDDEN_CHARACTERS = /(?!\u200D)[\p{Cc}\p{Cf}]/u;
const VISIBLE_CHARACTER = /[\p{L}\p{N}\p{P}\p{S}]/gu;

/** Length in characters as a person counts them (code points, not UTF-16 units). */
function characters(value: string): number {
  return Array.from(value).length;
}

function trimmed({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

function rule(
  name: string,
  message: string,
  test: (value: unknown) => boolean,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message, ...options },
      validator: { validate: test },
    });
  };
}

/** 2–40 characters (code points) after trimming, no control characters. */
export function DisplayNameField(optional = false): PropertyDecorator {
  const doc = {
    description:
      '2–40 characters after trimming (at least 2 visible), no control or invisible formatting characters',
    example: 'Ada',
  };
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ...(optional ? [IsOmittable()] : []),
    Transform(trimmed),
    rule(
      'displayName',
      'must be 2 to 40 characters, at least 2 of them visible, without control or invisible formatting characters',
      (value) =>
        typeof value === 'string' &&
        characters(value) >= 2 &&
        characters(value) <= 40 &&
        !HIDDEN_CHARACTERS.test(value) &&
        (value.match(VISIBLE_CHARACTER) ?? []).length >= 2,
    ),
  );
}

/** A valid email, stored lower-cased and trimmed. */
export function EmailField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ example: 'ada@example.com', maxLength: 254 }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().toLowerCase() : value,
    ),
    IsString(),
    MaxLength(254),
    IsEmail({}, { message: 'must be a valid email address' }),
  );
}

/** 8–72 bytes in UTF-8: bcrypt reads at most 72. */
export function PasswordField(name = 'password'): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      description: '8 to 72 bytes (UTF-8)',
      example: 'correct horse battery',
      format: 'password',
    }),
    IsString(),
    rule(
      name,
      'must be 8 to 72 bytes long',
      (value) =>
        typeof value === 'string' &&
        Buffer.byteLength(value, 'utf8') >= 8 &&
        Buffer.byteLength(value, 'utf8') <= 72,
    ),
  );
}

/** A real calendar date written YYYY-MM-DD. */
export function BirthDateField(optional = false): PropertyDecorator {
  const doc = { description: 'YYYY-MM-DD, a real calendar date', example: '1990-05-17' };
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ...(optional ? [IsOmittable()] : []),
    rule('birthDate', 'must be a real calendar date written YYYY-MM-DD', isCalendarDate),
  );
}

/** Free text about oneself: up to 500 characters, control characters other than newlines refused. */
export function BioField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ maxLength: 500, example: 'Born on a rainy Tuesday.' }),
    IsOmittable(),
    Transform(trimmed),
    rule(
      'bio',
      'must be at most 500 characters without control or invisible formatting characters other than line breaks',
      (value) =>
        typeof value === 'string' &&
        characters(value) <= 500 &&
        !HIDDEN_CHARACTERS.test(value.replace(/\r?\n/g, '')),
    ),
  );
}
