import {
  applyDecorators,
  type ArgumentMetadata,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';
import { ApiParam, ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { DomainError } from '../errors/domain-error';

/** An id as the API reads and writes it: the 24 hexadecimal digits of a MongoDB ObjectId. */
export const OBJECT_ID_PATTERN = '^[0-9a-fA-F]{24}$';
export const OBJECT_ID_EXAMPLE = '665f1c2e9b1d8c0012345678';

const OBJECT_ID_HEX = new RegExp(OBJECT_ID_PATTERN);

export function isObjectIdHex(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID_HEX.test(value);
}

@Injectable()
export class ParseObjectIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (isObjectIdHex(value)) return value.toLowerCase();
    throw DomainError.validation([
      { field: metadata.data ?? 'id', message: 'must be a 24-character hexadecimal id' },
    ]);
  }
}

/** Documents a path parameter read with ParseObjectIdPipe. */
export function ApiObjectIdParam(name = 'id', description?: string): MethodDecorator {
  return applyDecorators(
    ApiParam({
      name,
      description,
      schema: { type: 'string', pattern: OBJECT_ID_PATTERN, example: OBJECT_ID_EXAMPLE },
    }),
  );
}

/** Documents an id field (of a body, query or response): an ObjectId's 24 hexadecimal digits. */
export function ApiObjectIdProperty(options: ApiPropertyOptions = {}): PropertyDecorator {
  return ApiProperty({
    type: String,
    pattern: OBJECT_ID_PATTERN,
    example: OBJECT_ID_EXAMPLE,
    ...options,
  });
}
