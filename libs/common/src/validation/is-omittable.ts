import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but when present it is validated, null included: unlike
 * IsOptional(), which lets null through to the service.
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
