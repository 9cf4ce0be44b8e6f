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
import { displayNameProblem } from '../display-name';

/** Control characters and invisible format characters; the emoji zero-width joiner is allowed. */
const HIDDEN_CHARACTERS = /(?!\u200D)[\p{Cc}\p{Cf}]/u;

/** Length in characters as a person counts them (code points, not UTF-16 units). */
function characters(value: string): number {
  return Array.from(value).length;
}

function trimmed({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

function rule(
  name: string,
  message: string | ((value: unknown) => string),
  test: (value: unknown) => boolean,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: typeof message === 'string' ? message : ({ value }) => message(value),
        ...options,
      },
      validator: { validate: test },
    });
  };
}

/**
 * 2–40 characters after trimming, at least 2 of them visible; no control, invisible, blank or
 * line-separating characters; not a reserved name in any spelling (see displayNameProblem).
 */
export function DisplayNameField(optional = false): PropertyDecorator {
  const doc = {
    description:
      '2–40 characters after trimming, at least 2 of them visible; no control, invisible, blank (Hangul filler, braille blank) or line-separating characters; not admin, administrator, moderator, support, system or dobkonektor in any spelling or look-alike letters',
    example: 'Ada',
    minLength: 2,
    maxLength: 40,
  };
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ...(optional ? [IsOmittable()] : []),
    Transform(trimmed),
    rule(
      'displayName',
      (value) =>
        (typeof value === 'string' ? displayNameProblem(value) : undefined) ?? 'must be a string',
      (value) => typeof value === 'string' && displayNameProblem(value) === undefined,
    ),
  );
}

/** A valid email, stored lower-cased and trimmed. */
export function EmailField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ format: 'email', example: 'ada@example.com', maxLength: 254 }),
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
      description:
        '8 to 72 bytes in UTF-8 (bcrypt reads 72). minLength and maxLength are those of ASCII; ' +
        'with characters of 2 to 4 bytes, the byte count decides.',
      example: 'correct horse battery',
      format: 'password',
      minLength: 8,
      maxLength: 72,
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
  const doc = {
    description:
      'YYYY-MM-DD: a real calendar date, 1900-01-01 or later, not in the future, at least MIN_SIGNUP_AGE (default 13) years ago',
    example: '1990-05-17',
    format: 'date',
  };
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ...(optional ? [IsOmittable()] : []),
    rule('birthDate', 'must be a real calendar date written YYYY-MM-DD', isCalendarDate),
  );
}

/** The longest bio, in characters (code points). */
export const BIO_MAX = 280;

/** Free text about oneself: up to BIO_MAX characters, control characters other than newlines refused. */
export function BioField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ maxLength: BIO_MAX, example: 'Born on a rainy Tuesday.' }),
    IsOmittable(),
    Transform(trimmed),
    rule(
      'bio',
      `must be at most ${BIO_MAX} characters without control or invisible formatting characters other than line breaks`,
      (value) =>
        typeof value === 'string' &&
        characters(value) <= BIO_MAX &&
        !HIDDEN_CHARACTERS.test(value.replace(/\r?\n/g, '')),
    ),
  );
}
