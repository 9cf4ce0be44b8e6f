import type { ValidationError } from 'class-validator';
import type { ErrorDetail } from '../errors/domain-error';

const UNKNOWN_FIELD_CONSTRAINT = 'whitelistValidation';

function constraintMessages(constraints: Record<string, string>): string {
  return Object.entries(constraints)
    .map(([name, message]) =>
      name === UNKNOWN_FIELD_CONSTRAINT ? 'is not an allowed field' : message,
    )
    .join('; ');
}

export function toValidationDetails(
  errors: readonly ValidationError[],
  parentPath = '',
): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parentPath === '' ? error.property : `${parentPath}.${error.property}`;
    const own = error.constraints
      ? [{ field, message: constraintMessages(error.constraints) }]
      : [];
    return [...own, ...toValidationDetails(error.children ?? [], field)];
  });
}
