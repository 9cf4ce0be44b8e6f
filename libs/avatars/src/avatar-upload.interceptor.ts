import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import type { Observable } from 'rxjs';
import { DomainError } from '@app/common';
import { AVATAR_MAX_BYTES } from './avatar-image';

export const AVATAR_FIELD = 'file';

/**
 * Streams a multipart body into memory, stopping at AVATAR_MAX_BYTES + 1 bytes of the file and
 * at two small parts: never more is buffered, whatever the client sends. One text field is read
 * (up to 256 bytes) only so that the refusal can name it.
 */
const parseUpload: RequestHandler = multer({
  storage: multer.memoryStorage(),
  limits: {
    fileSize: AVATAR_MAX_BYTES,
    files: 1,
    fields: 1,
    fieldSize: 256,
    parts: 2,
    headerPairs: 20,
  },
}).single(AVATAR_FIELD);

function onlyTheFile(field: string): DomainError {
  return DomainError.validation(
    [{ field, message: `is not allowed: the body has one field, ${AVATAR_FIELD}` }],
    'The multipart body must hold one field, file',
  );
}

/** The app's error for what multer or busboy refused: never a 500 for a client's body. */
export function uploadError(error: unknown): DomainError {
  if (!(error instanceof MulterError)) {
    return new DomainError('BAD_REQUEST', 'The multipart body is malformed or incomplete');
  }
  switch (error.code) {
    case 'LIMIT_FILE_SIZE':
      return new DomainError('PAYLOAD_TOO_LARGE', 'The avatar file is too large', [
        { field: AVATAR_FIELD, message: `must be at most ${AVATAR_MAX_BYTES} bytes (2 MB)` },
      ]);
    case 'LIMIT_UNEXPECTED_FILE':
    case 'LIMIT_FIELD_VALUE':
    case 'LIMIT_FIELD_KEY':
      return onlyTheFile(error.field ?? 'body');
    default:
      return onlyTheFile('body');
  }
}

/** Parses the avatar upload of PUT /users/me/avatar (after the auth guard ran). */
@Injectable()
export class AvatarUploadInterceptor implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (!req.is('multipart/form-data')) {
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        `The body must be multipart/form-data with one field, ${AVATAR_FIELD}`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      parseUpload(req, http.getResponse<Response>(), (error?: unknown) => {
        if (error === undefined) resolve();
        else reject(uploadError(error));
      });
    });
    const extra = Object.keys((req.body ?? {}) as object).at(0);
    if (extra !== undefined) throw onlyTheFile(extra);
    if (req.file === undefined) {
      throw DomainError.validation([{ field: AVATAR_FIELD, message: 'is required' }]);
    }
    return next.handle();
  }
}
