import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { IsOmittable } from '@app/common';
import {
  DEFAULT_DISPLAY_SECONDS,
  DEFAULT_WEIGHT,
  isRoomKey,
  isSponsorUrl,
  SPONSOR_DISPLAY_SECONDS_MAX,
  SPONSOR_NAME_MAX,
  SPONSOR_TARGETS_MAX,
  SPONSOR_TEXT_MAX,
  SPONSOR_URL_MAX,
  SPONSOR_URL_PATTERN,
  SPONSOR_WEIGHT_MAX,
} from '@app/sponsors';
import { ROOM_KEY_PATTERN, ROOM_KINDS } from '@app/users';

function documented(optional: boolean, doc: ApiPropertyOptions): PropertyDecorator {
  return optional ? applyDecorators(ApiPropertyOptional(doc), IsOmittable()) : ApiProperty(doc);
}

function IsSponsorUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isSponsorUrl',
    validator: {
      validate: (value: unknown) => isSponsorUrl(value),
      defaultMessage: () =>
        `$property must be an http(s) URL of at most ${SPONSOR_URL_MAX} characters`,
    },
  });
}

export function NameField(optional = false): PropertyDecorator {
  return applyDecorators(
    documented(optional, { minLength: 1, maxLength: SPONSOR_NAME_MAX, example: 'Cake & Co.' }),
    IsString(),
    Length(1, SPONSOR_NAME_MAX),
  );
}

export function TextField(optional = false): PropertyDecorator {
  return applyDecorators(
    documented(optional, {
      minLength: 1,
      maxLength: SPONSOR_TEXT_MAX,
      example: 'A birthday cake for the whole room, 20% off this week.',
    }),
    IsString(),
    Length(1, SPONSOR_TEXT_MAX),
  );
}

export function LinkUrlField(optional = false): PropertyDecorator {
  return applyDecorators(
    documented(optional, {
      description: 'Where a click leads: an http(s) URL',
      pattern: SPONSOR_URL_PATTERN,
      maxLength: SPONSOR_URL_MAX,
      example: 'https://example.com/spring-sale',
    }),
    IsSponsorUrl(),
  );
}

export function ImageUrlField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      description: 'An http(s) URL of the image; null or absent: a text-only sponsor',
      pattern: SPONSOR_URL_PATTERN,
      maxLength: SPONSOR_URL_MAX,
      nullable: true,
      example: 'https://cdn.example.com/cake.png',
    }),
    ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null),
    IsSponsorUrl(),
  );
}

export function ActiveField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: 'Only active sponsors are shown', default: true }),
    IsOmittable(),
    IsBoolean(),
  );
}

export function WeightField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: SPONSOR_WEIGHT_MAX,
      default: DEFAULT_WEIGHT,
      description: 'Share of the draws among the eligible sponsors: weight / sum of their weights',
    }),
    IsOmittable(),
    IsInt(),
    Min(1),
    Max(SPONSOR_WEIGHT_MAX),
  );
}

export function DisplaySecondsField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: SPONSOR_DISPLAY_SECONDS_MAX,
      default: DEFAULT_DISPLAY_SECONDS,
      description: 'How long clients show the sponsor',
    }),
    IsOmittable(),
    IsInt(),
    Min(1),
    Max(SPONSOR_DISPLAY_SECONDS_MAX),
  );
}

export function RoomKindsField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      enum: ROOM_KINDS,
      isArray: true,
      description:
        'Room kinds shown in (at most 3). With roomKeys both empty (the default), every room; ' +
        'otherwise a room whose kind or whose key is listed.',
      example: ['date'],
    }),
    IsOmittable(),
    IsArray(),
    ArrayMaxSize(ROOM_KINDS.length),
    IsIn(ROOM_KINDS, {
      each: true,
      message: `each value in $property must be one of ${ROOM_KINDS.join(', ')}`,
    }),
  );
}

export function RoomKeysField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      items: { type: 'string', pattern: ROOM_KEY_PATTERN, example: 'day-1990-05-17' },
      description: `Room keys shown in (at most ${SPONSOR_TARGETS_MAX}), each naming a real room`,
      example: ['day-1990-05-17'],
    }),
    IsOmittable(),
    IsArray(),
    ArrayMaxSize(SPONSOR_TARGETS_MAX),
    ValidateBy(
      {
        name: 'isRoomKey',
        validator: {
          validate: (value: unknown) => isRoomKey(value),
          defaultMessage: () =>
            'each value in $property must be a room key like day-1990-05-17, date-05-17 or ' +
            'year-1990, of a real calendar day',
        },
      },
      { each: true },
    ),
  );
}
