export { AppConfig } from './config/app-config';
export { AppConfigModule } from './config/app-config.module';
export { loadConfigOrExit, loadDotEnvFile } from './config/config-at-boot';
export type { EnvVar } from './config/env-var';
export type { TrustProxy } from './config/env-var';
export { type EnvConfig, type EnvName, envSchema } from './config/env.schema';
export {
  ConfigValidationError,
  loadConfig,
  MIN_PRODUCTION_SECRET_LENGTH,
  validateEnv,
} from './config/load-config';
export { Clock, ManualClock, SystemClock } from './clock/clock';
export { CommonModule } from './common.module';
export { ApiErrorResponses } from './docs/api-error-responses.decorator';
export { ApiSchemaRules } from './docs/api-schema-rules.decorator';
export {
  characterAlternation,
  codeInputPattern,
  type CodeInputPatternOptions,
} from './docs/code-pattern';
export { ErrorDetailDto, ErrorResponseDto } from './docs/error-response.dto';
export { DomainError, ERROR_CODES, type ErrorCode, type ErrorDetail } from './errors/domain-error';
export { ApiExceptionFilter } from './errors/api-exception.filter';
export { type ErrorBody, mapException } from './errors/error-body';
export { jsonBody } from './http/json-body';
export { assignRequestId, REQUEST_ID_HEADER, requestIdOf } from './http/request-id';
export {
  ApiObjectIdParam,
  ApiObjectIdProperty,
  isObjectIdHex,
  OBJECT_ID_EXAMPLE,
  OBJECT_ID_PATTERN,
  ParseObjectIdPipe,
} from './ids/object-id';
export { AppLoggerModule, LOG_DESTINATION } from './logging/app-logger.module';
export { defineLogRedaction, type LogRedaction } from './logging/log-redaction';
export { payloadProblemDetails, rejectForbiddenKeys } from './validation/forbidden-keys';
export { createValidationPipe } from './validation/validation.pipe';
export { type AuthUser, type Role, ROLES } from './auth/auth-user';
export {
  type AuthenticatedRequest,
  CurrentUser,
  IS_PUBLIC_KEY,
  Public,
  Roles,
  ROLES_KEY,
} from './auth/auth.decorators';
export {
  ApiNextCursorProperty,
  DEFAULT_PAGE_SIZE,
  IsObjectIdString,
  LimitQueryDto,
  MAX_PAGE_SIZE,
  type Page,
  PageQueryDto,
  mapPage,
  PageDtoOf,
  toPage,
} from './pagination/page';
export { DateTimeField, type DateTimeFieldOptions } from './validation/date-time-field';
export { IsOmittable } from './validation/is-omittable';
export { normalizePlainText, type PlainText } from './validation/plain-text';
export { requireTimeAhead, timeAheadProblem, type TimeAheadRule } from './validation/time-ahead';
export { InTurn, type InTurnOptions } from './concurrency/in-turn';
export { KeyedQueue } from './concurrency/keyed-queue';
