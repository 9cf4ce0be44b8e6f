import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@app/common';
import { normalizeInviteCode } from './invite-code';

/** A route's invite code in its stored form, or 400 VALIDATION_FAILED naming the parameter. */
@Injectable()
export class ParseInviteCodePipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const code = normalizeInviteCode(value);
    if (code !== null) return code;
    throw DomainError.validation([
      {
        field: metadata.data ?? 'code',
        message: 'must be an invite code of 12 letters and digits, like ABCD-EFGH-JKMN',
      },
    ]);
  }
}
