import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { ApiError } from '../errors/api-error';

const OBJECT_ID_HEX = /^[0-9a-f]{24}$/i;

export function isObjectIdHex(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID_HEX.test(value);
}

@Injectable()
export class ParseObjectIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (isObjectIdHex(value)) return value.toLowerCase();
    throw ApiError.validation([
      { field: metadata.data ?? 'id', message: 'must be a 24-character hexadecimal id' },
    ]);
  }
}
