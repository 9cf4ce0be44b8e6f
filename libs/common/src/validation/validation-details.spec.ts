import { ValidationError } from 'class-validator';
import { toValidationDetails } from './validation-details';

function error(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
) {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

describe('toValidationDetails', () => {
  it('names each bad field with its dotted path and joins its messages', () => {
    const errors = [
      error('name', { isString: 'name must be a string', isLength: 'name is too short' }),
      error('address', undefined, [error('city', { isString: 'city must be a string' })]),
      error('items', undefined, [
        error('0', undefined, [error('qty', { min: 'qty must not be less than 1' })]),
      ]),
      error('extra', { whitelistValidation: 'property extra should not exist' }),
    ];
    expect(toValidationDetails(errors)).toEqual([
      { field: 'name', message: 'name must be a string; name is too short' },
      { field: 'address.city', message: 'city must be a string' },
      { field: 'items.0.qty', message: 'qty must not be less than 1' },
      { field: 'extra', message: 'is not an allowed field' },
    ]);
  });
});
