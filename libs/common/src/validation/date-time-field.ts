import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, ValidateIf } from 'class-validator';

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** A Date from an ISO-8601 date-time with a zone and a real calendar day; anything else as is. */
function toDate({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const match = DATE_TIME.exec(value);
  if (!match) return value;
  const [year, month, day] = match.slice(1, 4).map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return value;
  return new Date(value);
}

export interface DateTimeFieldOptions {
  readonly description: string;
  readonly example: string;
  /** May be absent. */
  readonly optional?: boolean;
  /** May be null. */
  readonly nullable?: boolean;
}

/** An ISO-8601 date-time with a time zone (`2026-12-31T23:59:59Z`), converted to a Date. */
export function DateTimeField(options: DateTimeFieldOptions): PropertyDecorator {
  const doc = {
    type: String,
    format: 'date-time',
    // Stricter than the format alone: "T", "Z" and the hour as the server reads them.
    pattern: DATE_TIME.source,
    nullable: options.nullable ?? false,
    description: options.description,
    example: options.example,
  };
  return applyDecorators(
    options.optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ValidateIf(
      (_object: object, value: unknown) =>
        !(options.optional && value === undefined) && !(options.nullable && value === null),
    ),
    Transform(toDate),
    IsDate({
      message:
        '$property must be an ISO-8601 date-time with a time zone, like 2026-12-31T23:59:59Z',
    }),
  );
}
