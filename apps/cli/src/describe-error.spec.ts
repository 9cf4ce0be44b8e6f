import { DomainError } from '@app/common';
import { describeError } from './describe-error';

describe('describeError', () => {
  it('prints a domain error as its code and message, then each field at fault', () => {
    const error = DomainError.conflict('An account with this email already exists', [
      { field: 'email', message: 'is already registered' },
    ]);
    expect(describeError(error)).toBe(
      'CONFLICT: An account with this email already exists\n  email: is already registered',
    );
  });

  it('prints any other error as its message', () => {
    expect(describeError(new Error('Cannot create the admin account'))).toBe(
      'Cannot create the admin account',
    );
  });
});
