const DUPLICATE_KEY = 11000;

/**
 * The fields of the unique index a MongoDB write collided with (E11000), or null for any other
 * error. The one place that knows how a duplicate key looks: repositories turn it into a result
 * kind or a DomainError CONFLICT.
 */
export function duplicateKeyFields(error: unknown): string[] | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, keyPattern, keyValue } = error as Record<string, unknown>;
  if (code !== DUPLICATE_KEY) return null;
  const keys = keyPattern ?? keyValue;
  return typeof keys === 'object' && keys !== null ? Object.keys(keys) : [];
}
