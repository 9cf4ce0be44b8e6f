import { compareValues, valueKey } from '../bson/compare';
import { toDouble } from '../bson/numbers';
import {
  asDocument,
  Doc,
  isArray,
  isNumeric,
  isPlainObject,
  isRegex,
  MISSING,
  TypeOrder,
  typeOrder,
} from '../bson/values';
import { badValue, notSupported } from '../errors';
import { exprMatcher } from './mingo-bridge';
import { collectLeaves, splitPath } from './paths';
import { regexFromValue, regexMatches, toJsRegExp } from './regex';
import { typeTest } from './type-test';

export type Predicate = (doc: Doc) => boolean;
/** Tests the values a path reached in one document (see collectLeaves). */
type LeafMatcher = (leaves: unknown[]) => boolean;
type ValueTest = (value: unknown) => boolean;

const UNSUPPORTED_TOP = new Set(['$where', '$text', '$jsonSchema', '$sampleRate']);
const UNSUPPORTED_OPS = new Set([
  '$near',
  '$nearSphere',
  '$geoWithin',
  '$geoIntersects',
  '$within',
  '$bitsAllSet',
  '$bitsAllClear',
  '$bitsAnySet',
  '$bitsAnyClear',
]);

/** The fields of a DBRef: `$`-prefixed names a query may still use as field names. */
const DBREF_FIELDS = new Set(['$ref', '$id', '$db']);

/** Operators that stand in place of a field in a query document (`$and`, `$expr`, …). */
const TOP_LEVEL_OPERATORS = new Set([
  '$and',
  '$or',
  '$nor',
  '$expr',
  '$comment',
  ...UNSUPPORTED_TOP,
]);

/** Whether a `$`-prefixed key of a query document is a top-level operator (not a field path). */
export function isTopLevelOperator(key: string): boolean {
  return TOP_LEVEL_OPERATORS.has(key);
}

/**
 * Whether a key of a query document names a DBRef field, as MongoDB's parser allows: within an
 * `$elemMatch` any of `$ref`, `$id`, `$db`; elsewhere only when both `$ref` and `$id` are given.
 */
function isDBRefField(key: string, filter: Doc, incomplete: boolean): boolean {
  if (!DBREF_FIELDS.has(key)) return false;
  return incomplete || (Object.hasOwn(filter, '$ref') && Object.hasOwn(filter, '$id'));
}

export interface MatcherOptions {
  /** Variables for `$expr` (the command's `let`). */
  variables?: Doc;
  /**
   * Whether a condition also holds when it holds for an element of an array it reaches (true,
   * MongoDB's rule for queries); false where a value is tested on its own ($elemMatch, $pull).
   */
  expandLeafArrays?: boolean;
  /** Whether `$ref`, `$id` or `$db` alone name DBRef fields (true inside `$elemMatch`). */
  incompleteDBRef?: boolean;
}

/** Compiles a MongoDB query filter into a predicate with MongoDB's matching semantics. */
export function compileFilter(filter: unknown, options: MatcherOptions = {}): Predicate {
  if (filter === undefined || filter === null) return () => true;
  if (!isPlainObject(filter)) throw badValue('filter must be an object');
  const clauses: Predicate[] = [];
  const incomplete = options.incompleteDBRef ?? false;
  const inner = incomplete ? { ...options, incompleteDBRef: false } : options;
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith('$') && !isDBRefField(key, filter, incomplete)) {
      const clause = compileTopLevel(key, value, inner);
      if (clause) clauses.push(clause);
    } else {
      const parts = splitPath(key);
      const matcher = compileCondition(value, inner);
      clauses.push((doc) => matcher(collectLeaves(doc, parts)));
    }
  }
  if (clauses.length === 1) return clauses[0];
  return (doc) => clauses.every((clause) => clause(doc));
}

function compileTopLevel(key: string, value: unknown, options: MatcherOptions): Predicate | null {
  switch (key) {
    case '$and':
    case '$or':
    case '$nor': {
      if (!Array.isArray(value) || value.length === 0) {
        throw badValue(`${key} must be a nonempty array`);
      }
      const parts = value.map((entry: unknown) => {
        if (!isPlainObject(entry)) throw badValue(`${key} entries need to be full objects`);
        return compileFilter(entry, options);
      });
      if (key === '$and') return (doc) => parts.every((p) => p(doc));
      if (key === '$or') return (doc) => parts.some((p) => p(doc));
      return (doc) => !parts.some((p) => p(doc));
    }
    case '$expr':
      return exprMatcher(value, options.variables);
    case '$comment':
      return null;
    default:
      if (UNSUPPORTED_TOP.has(key)) throw notSupported(key);
      throw badValue(`unknown top level operator: ${key}`);
  }
}

function isOperatorObject(value: unknown): value is Doc {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys[0].startsWith('$');
}

/** The matcher for the value of `{ path: value }`: an operator object, a regex, or equality. */
function compileCondition(value: unknown, options: MatcherOptions): LeafMatcher {
  if (isOperatorObject(value)) return compileOperators(value, options);
  if (isRegex(value)) {
    const regex = regexFromValue(value);
    return expand(
      (x) => regexMatches(regex, x) || (isRegex(x) && compareValues(x, value) === 0),
      options,
    );
  }
  return equalityMatcher(value, options);
}

function expand(test: ValueTest, options: MatcherOptions): LeafMatcher {
  if (options.expandLeafArrays === false) return (leaves) => leaves.some(test);
  return (leaves) => leaves.some((x) => test(x) || (Array.isArray(x) && x.some(test)));
}

function equalityTest(value: unknown): ValueTest {
  if (value === null || value === undefined) {
    return (x) => x === MISSING || x === null || x === undefined;
  }
  const key = valueKey(value);
  const order = typeOrder(value);
  return (x) => x !== MISSING && typeOrder(x) === order && valueKey(x) === key;
}

function equalityMatcher(value: unknown, options: MatcherOptions): LeafMatcher {
  return expand(equalityTest(value), options);
}

/** Value-level test of an operator object, used by `$elemMatch` and `$pull` on scalars. */
export function compileValueTest(operators: Doc, options: MatcherOptions = {}): ValueTest {
  const matcher = compileOperators(operators, { ...options, expandLeafArrays: false });
  return (value) => matcher([value]);
}

function compileOperators(operators: Doc, options: MatcherOptions): LeafMatcher {
  const matchers: LeafMatcher[] = [];
  for (const [op, arg] of Object.entries(operators)) {
    if (op === '$options') {
      if (!('$regex' in operators)) throw badValue('$options needs a $regex');
      continue;
    }
    matchers.push(compileOperator(op, arg, operators, options));
  }
  if (matchers.length === 1) return matchers[0];
  return (leaves) => matchers.every((m) => m(leaves));
}

function comparison(
  arg: unknown,
  accept: (cmp: number) => boolean,
  options: MatcherOptions,
): LeafMatcher {
  const order = typeOrder(arg);
  const bracketed = order !== TypeOrder.minKey && order !== TypeOrder.maxKey;
  return expand(
    (x) => (!bracketed || typeOrder(x) === order) && accept(compareValues(x, arg)),
    options,
  );
}

function inTest(arg: unknown, op: string): ValueTest {
  if (!Array.isArray(arg)) throw badValue(`${op} needs an array`);
  const keys = new Set<string>();
  const regexes: RegExp[] = [];
  for (const item of arg) {
    if (isOperatorObject(item)) throw badValue(`cannot nest $ under ${op}`);
    if (isRegex(item)) regexes.push(regexFromValue(item));
    else keys.add(valueKey(item));
  }
  return (x) => keys.has(valueKey(x)) || regexes.some((r) => regexMatches(r, x));
}

function compileOperator(op: string, arg: unknown, all: Doc, options: MatcherOptions): LeafMatcher {
  switch (op) {
    case '$eq':
      return equalityMatcher(arg, options);
    case '$ne': {
      const eq = equalityMatcher(arg, options);
      return (leaves) => !eq(leaves);
    }
    case '$gt':
      return comparison(arg, (c) => c > 0, options);
    case '$gte':
      return comparison(arg, (c) => c >= 0, options);
    case '$lt':
      return comparison(arg, (c) => c < 0, options);
    case '$lte':
      return comparison(arg, (c) => c <= 0, options);
    case '$in':
      return expand(inTest(arg, op), options);
    case '$nin': {
      const matcher = expand(inTest(arg, op), options);
      return (leaves) => !matcher(leaves);
    }
    case '$exists': {
      const want = Boolean(isNumeric(arg) ? toDouble(arg) : arg);
      return (leaves) => leaves.some((x) => x !== MISSING) === want;
    }
    case '$type':
      return expand(typeTest(arg), options);
    case '$regex': {
      const extra = typeof all.$options === 'string' ? all.$options : '';
      if (isRegex(arg)) return expand((x) => regexMatches(regexFromValue(arg, extra), x), options);
      if (typeof arg !== 'string') throw badValue('$regex has to be a string');
      const regex = toJsRegExp(arg, extra);
      return expand((x) => regexMatches(regex, x), options);
    }
    case '$not': {
      if (isRegex(arg)) {
        const regex = regexFromValue(arg);
        const inner = expand((x) => regexMatches(regex, x), options);
        return (leaves) => !inner(leaves);
      }
      if (!isPlainObject(arg) || Object.keys(arg).length === 0) {
        throw badValue('$not needs a regex or a document');
      }
      if (!isOperatorObject(arg)) throw badValue(`unknown operator: ${Object.keys(arg)[0]}`);
      const inner = compileOperators(arg, options);
      return (leaves) => !inner(leaves);
    }
    case '$size': {
      if (!isNumeric(arg) || !Number.isInteger(toDouble(arg))) {
        throw badValue('$size needs a number');
      }
      const size = toDouble(arg);
      return (leaves) => leaves.some((x) => Array.isArray(x) && x.length === size);
    }
    case '$elemMatch':
      return elemMatch(arg, options);
    case '$all':
      return allMatcher(arg, options);
    case '$mod':
      return expand(modTest(arg), options);
    case '$comment':
      return () => true;
    default:
      if (UNSUPPORTED_OPS.has(op)) throw notSupported(op);
      throw badValue(`unknown operator: ${op}`);
  }
}

/** Whether one array element satisfies an `$elemMatch` (value predicates, or a sub-query). */
export function elemMatchTest(spec: unknown, options: MatcherOptions = {}): ValueTest {
  // A condition such as {$ref: 'c', $id: x} arrives decoded as a DBRef.
  const arg = asDocument(spec);
  if (!arg) throw badValue('$elemMatch needs an Object');
  const keys = Object.keys(arg);
  const valueMode =
    keys.length > 0 &&
    keys.every((k) => k.startsWith('$') && !isTopLevelOperator(k) && !DBREF_FIELDS.has(k));
  if (valueMode) return compileValueTest(arg, options);
  const predicate = compileFilter(arg, {
    ...options,
    expandLeafArrays: true,
    incompleteDBRef: true,
  });
  return (element) => {
    const doc = asDocument(element);
    if (doc) return predicate(doc);
    // An array element is matched as a document whose fields are its indexes.
    return isArray(element) && predicate(Object.fromEntries(element.map((v, i) => [String(i), v])));
  };
}

function elemMatch(arg: unknown, options: MatcherOptions): LeafMatcher {
  const test = elemMatchTest(arg, options);
  return (leaves) => leaves.some((x) => Array.isArray(x) && x.some(test));
}

function allMatcher(arg: unknown, options: MatcherOptions): LeafMatcher {
  if (!Array.isArray(arg)) throw badValue('$all needs an array');
  if (arg.length === 0) return () => false;
  const parts = arg.map((item: unknown) => {
    if (isPlainObject(item) && '$elemMatch' in item) return elemMatch(item.$elemMatch, options);
    if (isOperatorObject(item)) throw badValue('no $ expressions in $all');
    return compileCondition(item, options);
  });
  return (leaves) => parts.every((p) => p(leaves));
}

function modTest(arg: unknown): ValueTest {
  if (!Array.isArray(arg) || arg.length !== 2 || !arg.every(isNumeric)) {
    throw badValue('malformed mod, needs to be an array of two numbers');
  }
  const divisor = Math.trunc(toDouble(arg[0]));
  const remainder = Math.trunc(toDouble(arg[1]));
  if (divisor === 0) throw badValue('divisor cannot be 0');
  return (x) => {
    if (!isNumeric(x)) return false;
    const value = toDouble(x);
    return Number.isFinite(value) && Math.trunc(value) % divisor === remainder;
  };
}
