import { cloneValue, Doc, isArray, isPlainObject, isRegex } from '../bson/values';
import { ErrorCode, MongoCommandError } from '../errors';
import { splitPath } from './paths';
import { setDotted } from './update-paths';

function equalityValues(value: unknown): unknown[] {
  if (isRegex(value)) return [];
  if (!isPlainObject(value) || !Object.keys(value)[0]?.startsWith('$')) return [value];
  if (Object.hasOwn(value, '$eq')) return [value.$eq];
  if (isArray(value.$in) && value.$in.length === 1 && !isRegex(value.$in[0])) return [value.$in[0]];
  if (isArray(value.$all)) {
    return value.$all.filter((v) => !isRegex(v) && !(isPlainObject(v) && '$elemMatch' in v));
  }
  return [];
}

/** (path, value) pairs an upsert takes from the query's equality-like conditions. */
function seedPairs(filter: Doc, out: [string, unknown][] = []): [string, unknown][] {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && isArray(value)) {
      for (const sub of value) if (isPlainObject(sub)) seedPairs(sub, out);
    } else if ((key === '$or' || key === '$nor') && isArray(value) && value.length === 1) {
      if (key === '$or' && isPlainObject(value[0])) seedPairs(value[0], out);
    } else if (!key.startsWith('$')) {
      for (const v of equalityValues(value)) out.push([key, v]);
    }
  }
  return out;
}

function checkSingleValued(pairs: [string, unknown][]): void {
  for (let i = 0; i < pairs.length; i++) {
    for (let j = i + 1; j < pairs.length; j++) {
      const [a, b] = [pairs[i][0], pairs[j][0]];
      if (a === b) {
        throw new MongoCommandError(
          ErrorCode.NotSingleValueField,
          `cannot infer query fields to set, path '${a}' is matched twice`,
        );
      }
      if (a.startsWith(`${b}.`) || b.startsWith(`${a}.`)) {
        throw new MongoCommandError(
          ErrorCode.NotSingleValueField,
          `cannot infer query fields to set, both paths '${a}' and '${b}' are matched`,
        );
      }
    }
  }
}

/**
 * The document an upsert starts from. Operator-style updates take every equality-like condition
 * of the query; a replacement takes only `_id`.
 */
export function upsertSeed(filter: Doc, replacement: boolean): Doc {
  const pairs = seedPairs(filter);
  const idPairs = pairs.filter(([path]) => path === '_id' || path.startsWith('_id.'));
  checkSingleValued(replacement ? idPairs : pairs);
  if (replacement && idPairs.some(([path]) => path !== '_id')) {
    throw new MongoCommandError(
      ErrorCode.NotSingleValueField,
      'An _id field is required for a replacement upsert; the query gives only parts of it',
    );
  }
  const seed: Doc = {};
  for (const [path, value] of replacement ? idPairs : pairs)
    setDotted(seed, splitPath(path), cloneValue(value));
  return seed;
}
