import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@app/common';

const NO_BODY = 'This route takes no body';

/**
 * For routes that take no body: every field sent is an unknown field (400), so a client cannot
 * believe it chose something it did not (`maxUses` on POST /invites, say).
 */
@Injectable()
export class NoBodyPipe implements PipeTransform<unknown, undefined> {
  transform(value: unknown): undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw DomainError.validation([{ field: 'body', message: 'must be empty' }], NO_BODY);
    }
    const fields = Object.keys(value);
    if (fields.length === 0) return undefined;
    throw DomainError.validation(
      fields.map((field) => ({ field, message: 'is not an allowed field' })),
      NO_BODY,
    );
  }
}
