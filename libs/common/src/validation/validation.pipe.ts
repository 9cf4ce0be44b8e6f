import { ValidationPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { toValidationDetails } from './validation-details';

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => DomainError.validation(toValidationDetails(errors)),
  });
}
