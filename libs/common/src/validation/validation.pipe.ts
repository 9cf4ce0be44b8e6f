import { ValidationPipe } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { toValidationDetails } from './validation-details';

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => ApiError.validation(toValidationDetails(errors)),
  });
}
