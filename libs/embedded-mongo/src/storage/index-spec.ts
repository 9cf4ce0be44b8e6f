import { formatValue } from '../bson/format';
import { identical } from '../bson/compare';
import { toDouble } from '../bson/numbers';
import { Doc, isNumeric, isPlainObject, isRegex } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError, notSupported } from '../errors';
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

const UNSUPPORTED_INDEX_TYPES = new Set(['text', '2d', '2dsphere', 'geoHaystack', 'wildcard']);

function checkKey(raw: Doc): Doc {
  if (!Object.hasOwn(raw, 'key')) {
    throw new MongoCommandError(
      ErrorCode.FailedToParse,
      "The 'key' field is a required property of an index specification",
    );
  }
  if (!isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    cannotCreate('Index keys cannot be empty.');
  }
  for (const [field, dir] of Object.entries(raw.key)) {
    if (UNSUPPORTED_INDEX_TYPES.has(String(dir)))
      throw notSupported(`"${String(dir)}" index on ${field}`);
    if (dir === '') {
      cannotCreate('Values in the index key pattern can only be numbers or non-empty strings');
    }
    if (typeof dir === 'string' && dir !== 'hashed') cannotCreate(`Unknown index plugin '${dir}'`);
    if (!isNumeric(dir) && dir !== 'hashed') {
      cannotCreate(
        `Values in the index key pattern can only be numbers or strings, not ${String(dir)}`,
      );
    }
  }
  return raw.key;
}

function checkName(raw: Doc, key: Doc): string {
  if (raw.name === undefined) return defaultIndexName(key);
  if (typeof raw.name !== 'string') {
    throw new MongoCommandError(ErrorCode.TypeMismatch, 'The index name must be a string');
  }
  if (raw.name === '') cannotCreate('The index name cannot be empty');
  if (raw.name === '*') throw badValue("The index name '*' is not valid");
  return raw.name;
}

export function normalizeIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw)) {
    throw new MongoCommandError(ErrorCode.TypeMismatch, 'An index specification must be an object');
  }
  const key = checkKey(raw);
  if (raw.v !== undefined && !(isNumeric(raw.v) && [1, 2].includes(toDouble(raw.v)))) {
    cannotCreate(`Index version v: ${formatValue(raw.v)} is not supported; use 1 or 2`);
  }
  const spec: IndexSpec = { v: 2, key, name: checkName(raw, key) };
  for (const [option, value] of Object.entries(raw)) {
    if (option === 'key' || option === 'name' || IGNORED_INDEX_OPTIONS.has(option)) continue;
    if (option === 'collation') throw notSupported('index collation');
    if (!INDEX_OPTIONS.has(option)) {
      throw new MongoCommandError(
        ErrorCode.InvalidIndexSpecificationOption,
        `The field '${option}' is not valid for an index specification`,
      );
    }
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
