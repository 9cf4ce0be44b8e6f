import { DomainError } from '@app/common';

/** An error as the CLI prints it: a domain error's code and message, then each field at fault. */
export function describeError(error: Error): string {
  if (!(error instanceof DomainError)) return error.message;
  const fields = error.details.map(({ field, message }) => `  ${field}: ${message}`);
  return [`${error.code}: ${error.message}`, ...fields].join('\n');
}
