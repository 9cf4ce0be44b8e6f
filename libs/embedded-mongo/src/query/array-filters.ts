import { Doc, isArray, isPlainObject } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError } from '../errors';
import { compileFilter, Predicate } from './matcher';

const IDENTIFIER = /^[a-z][a-zA-Z0-9]*$/;
const LOGICAL = new Set(['$and', '$or', '$nor']);

function parseError(message: string): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.FailedToParse,
    `Error parsing array filter :: caused by :: ${message}`,
  );
}

/** The top-level field names of an array filter, looking through $and/$or/$nor. */
function topLevelNames(filter: Doc, names = new Set<string>()): Set<string> {
  for (const [key, value] of Object.entries(filter)) {
    if (LOGICAL.has(key) && isArray(value)) {
      for (const sub of value) if (isPlainObject(sub)) topLevelNames(sub, names);
    } else if (!key.startsWith('$')) {
      names.add(key.split('.')[0]);
    }
  }
  return names;
}

/** Identifier → test of an array element, from an update's `arrayFilters`. */
export function parseArrayFilters(arrayFilters: unknown): Map<string, Predicate> {
  const tests = new Map<string, Predicate>();
  if (arrayFilters === undefined || arrayFilters === null) return tests;
  if (!isArray(arrayFilters)) throw badValue('arrayFilters must be an array');
  for (const filter of arrayFilters) {
    if (!isPlainObject(filter))
      throw badValue('Cannot use an expression without a top-level field name in arrayFilters');
    const names = [...topLevelNames(filter)];
    if (names.length !== 1) {
      throw parseError(`Expected a single top-level field name, found '${names.join("' and '")}'`);
    }
    const [id] = names;
    if (!IDENTIFIER.test(id)) {
      throw badValue(
        `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${id}'`,
      );
    }
    if (tests.has(id)) {
      throw new MongoCommandError(
        ErrorCode.FailedToParse,
        `Found multiple array filters with the same top-level field name ${id}`,
      );
    }
    const predicate = compileFilter(filter);
    tests.set(id, (element) => predicate({ [id]: element }));
  }
  return tests;
}

/** Every `$[id]` of the update paths has a filter, and every filter is used. */
export function checkFiltersUsed(
  paths: string[],
  filters: Map<string, Predicate>,
  update: string,
): void {
  const used = new Set<string>();
  for (const path of paths) {
    for (const match of path.matchAll(/\$\[([^\]]+)\]/g)) {
      if (!filters.has(match[1])) {
        throw badValue(`No array filter found for identifier '${match[1]}' in path '${path}'`);
      }
      used.add(match[1]);
    }
  }
  for (const id of filters.keys()) {
    if (!used.has(id)) {
      throw new MongoCommandError(
        ErrorCode.FailedToParse,
        `The array filter for identifier '${id}' was not used in the update ${update}`,
      );
    }
  }
}
