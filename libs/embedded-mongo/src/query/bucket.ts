import { compareValues } from '../bson/compare';
import { Doc, isPlainObject, MISSING, typeOrder } from '../bson/values';
import { ErrorCode, MongoCommandError } from '../errors';
import { compileExpression } from './expression';
import { compileGroup } from './group';

function bucketError(code: number, message: string): MongoCommandError {
  return new MongoCommandError(code, message);
}

/**
 * `$bucket`: each document goes to the bucket whose lower boundary it reaches (lower bound
 * inclusive, upper exclusive) or to `default`; only non-empty buckets are output, in boundary
 * order with the default last. Accumulators are those of `$group`.
 */
export function compileBucket(arg: unknown, variables?: Doc): (docs: Doc[]) => Doc[] {
  if (!isPlainObject(arg))
    throw bucketError(ErrorCode.Location40201, 'Argument to $bucket stage must be an object');
  const boundaries = arg.boundaries;
  if (!Array.isArray(boundaries) || boundaries.length < 2) {
    throw bucketError(
      ErrorCode.Location40192,
      "The $bucket 'boundaries' field must be an array of at least 2 values",
    );
  }
  for (let i = 1; i < boundaries.length; i++) {
    if (typeOrder(boundaries[i]) !== typeOrder(boundaries[0])) {
      throw bucketError(
        ErrorCode.Location40193,
        "All values in the 'boundaries' option to $bucket must have the same type",
      );
    }
    if (compareValues(boundaries[i - 1], boundaries[i]) >= 0) {
      throw bucketError(
        ErrorCode.Location40194,
        "The 'boundaries' option to $bucket must be sorted in ascending order",
      );
    }
  }
  const hasDefault = Object.hasOwn(arg, 'default');
  const groupBy = compileExpression(arg.groupBy, variables);
  const output = isPlainObject(arg.output) ? arg.output : { count: { $sum: 1 } };
  const group = compileGroup({ _id: '$__bucket', ...output }, variables);
  if (!group)
    throw bucketError(ErrorCode.Location40196, '$bucket output fields must be accumulators');
  const bucketOf = (doc: Doc): unknown => {
    const value = groupBy(doc);
    const v = value === MISSING ? null : value;
    const inRange =
      typeOrder(v) === typeOrder(boundaries[0]) &&
      compareValues(v, boundaries[0]) >= 0 &&
      compareValues(v, boundaries[boundaries.length - 1]) < 0;
    if (!inRange) {
      if (!hasDefault) {
        throw bucketError(
          ErrorCode.Location40066,
          '$switch could not find a matching branch for an input, and no default was specified.',
        );
      }
      return arg.default;
    }
    let i = 0;
    while (compareValues(v, boundaries[i + 1]) >= 0) i++;
    return boundaries[i];
  };
  return (docs) => {
    const grouped = group(docs.map((doc) => ({ ...doc, __bucket: bucketOf(doc) })));
    const rank = (id: unknown): number => {
      const at = boundaries.findIndex((b) => compareValues(b, id) === 0);
      return at < 0 ? boundaries.length : at;
    };
    return grouped.sort((a, b) => rank(a._id) - rank(b._id));
  };
}
