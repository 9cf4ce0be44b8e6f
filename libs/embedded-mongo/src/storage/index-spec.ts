import { identical } from '../bson/compare';
import { toDouble } from '../bson/numbers';
import { Doc, isNumeric, isPlainObject, isRegex } from '../bson/values';
import { ErrorCode, MongoCommandError, notSupported } from '../errors';
import { compileFilter } from '../query/matcher';
import { IndexSpec } from './collection-index';

const INDEX_OPTIONS = new Set([
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
]);
const IGNORED_INDEX_OPTIONS = new Set(['v', 'background', 'ns', 'hidden']);

export function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${isNumeric(dir) ? toDouble(dir) : String(dir)}`)
    .join('_');
}

export function sameOptions(a: Doc, b: Doc): boolean {
  return [...INDEX_OPTIONS].every((option) => {
    const [x, y] = [a[option], b[option]];
    if (x === undefined || y === undefined)
      return x === y || (option !== 'partialFilterExpression' && !x && !y);
    return identical(isNumeric(x) ? toDouble(x) : x, isNumeric(y) ? toDouble(y) : y);
  });
}

const PARTIAL_OPERATORS = new Set(['$eq', '$gt', '$gte', '$lt', '$lte', '$type', '$in', '$exists']);

function cannotCreate(message: string): never {
  throw new MongoCommandError(ErrorCode.CannotCreateIndex, message);
}

/** What MongoDB 7.0 allows in a partialFilterExpression: equality, ranges, $type, $exists: true, $in, $and, $or. */
function validatePartialFilter(filter: unknown): void {
  if (!isPlainObject(filter)) cannotCreate('partialFilterExpression must be an object');
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0)
        cannotCreate(`${key} must be a nonempty array`);
      for (const sub of value) validatePartialFilter(sub);
      continue;
    }
    if (key.startsWith('$')) cannotCreate(`unsupported expression in partial index: ${key}`);
    if (isRegex(value)) cannotCreate(`unsupported expression in partial index: ${key} regex`);
    if (!isPlainObject(value) || !Object.keys(value)[0]?.startsWith('$')) continue;
    for (const [op, arg] of Object.entries(value)) {
      const allowed =
        PARTIAL_OPERATORS.has(op) &&
        (op !== '$exists' || arg === true || (isNumeric(arg) && toDouble(arg) !== 0));
      if (!allowed || isRegex(arg))
        cannotCreate(`unsupported expression in partial index: ${key} ${op}`);
    }
  }
  compileFilter(filter);
}

export function normalizeIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw new MongoCommandError(
      ErrorCode.CannotCreateIndex,
      'Index specification needs a non-empty key document',
    );
  }
  for (const [field, dir] of Object.entries(raw.key)) {
    if (typeof dir === 'string' && dir !== 'hashed')
      throw notSupported(`"${dir}" index on ${field}`);
    if (!isNumeric(dir) && dir !== 'hashed')
      throw new MongoCommandError(
        ErrorCode.CannotCreateIndex,
        `Values in the index key pattern can only be numbers or strings, not ${String(dir)}`,
      );
  }
  const spec: IndexSpec = {
    v: 2,
    key: raw.key,
    name: typeof raw.name === 'string' ? raw.name : defaultIndexName(raw.key),
  };
  for (const [option, value] of Object.entries(raw)) {
    if (option === 'key' || option === 'name' || IGNORED_INDEX_OPTIONS.has(option)) continue;
    if (option === 'collation') throw notSupported('index collation');
    if (!INDEX_OPTIONS.has(option))
      throw new MongoCommandError(
        ErrorCode.InvalidOptions,
        `The field '${option}' is not valid for an index specification`,
      );
    if ((option === 'unique' || option === 'sparse') && !value) continue;
    spec[option] = option === 'expireAfterSeconds' ? toDouble(value as number) : value;
  }
  if (spec.partialFilterExpression !== undefined) {
    if (spec.sparse) cannotCreate('cannot mix "partialFilterExpression" and "sparse" options');
    validatePartialFilter(spec.partialFilterExpression);
  }
  if (spec.expireAfterSeconds !== undefined && Object.keys(spec.key).length > 1) {
    throw new MongoCommandError(
      ErrorCode.CannotCreateIndex,
      'TTL indexes are single-field indexes, compound indexes do not support TTL',
    );
  }
  return spec;
}
