import { compareValues } from '../bson/compare';
import { formatValue } from '../bson/format';
import { toDouble } from '../bson/numbers';
import {
  asDocument,
  bsonTypeName,
  cloneValue,
  Doc,
  isNumeric,
  isPlainObject,
  MISSING,
} from '../bson/values';
import { badValue, ErrorCode, MongoCommandError } from '../errors';
import { compileFilter, compileValueTest, isTopLevelOperator } from './matcher';
import { sortDocuments } from './sort';
import {
  current,
  idText,
  type OperatorContext,
  type UpdateOperator,
  write,
} from './update-context';
import { getChild, resolveSlot } from './update-paths';

function arrayAt(ctx: OperatorContext): unknown[] {
  const value = current(ctx);
  if (value === MISSING) {
    const made: unknown[] = [];
    write(ctx, made);
    return made;
  }
  if (!Array.isArray(value)) {
    throw badValue(
      `The field '${ctx.parts[ctx.parts.length - 1]}' must be an array but is of type ` +
        `${bsonTypeName(value)} in document ${idText(ctx)}`,
    );
  }
  return value;
}

function eachOf(arg: unknown, allowed: string[]): { values: unknown[]; modifiers: Doc } {
  if (isPlainObject(arg) && Object.hasOwn(arg, '$each')) {
    for (const key of Object.keys(arg)) {
      if (key !== '$each' && !allowed.includes(key)) {
        throw badValue(`Unrecognized clause in $push: ${key}`);
      }
    }
    if (!Array.isArray(arg.$each)) {
      throw badValue(
        `The argument to $each in $push must be an array but it was of type: ${bsonTypeName(arg.$each)}`,
      );
    }
    return { values: arg.$each.map(cloneValue), modifiers: arg };
  }
  return { values: [cloneValue(arg)], modifiers: {} };
}

function intArg(value: unknown, name: string): number {
  if (!isNumeric(value) || !Number.isInteger(toDouble(value))) {
    throw badValue(
      `The value for ${name} must be an integer value but was given type: ${bsonTypeName(value)}`,
    );
  }
  return toDouble(value);
}

function checkPushSort(spec: unknown): void {
  const direction = (value: unknown): boolean =>
    isNumeric(value) && Math.abs(toDouble(value)) === 1;
  if (!isPlainObject(spec)) {
    if (!direction(spec))
      throw badValue(
        'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields',
      );
    return;
  }
  const fields = Object.entries(spec);
  if (fields.length === 0)
    throw badValue('The $sort pattern is empty when it should be a set of fields.');
  for (const [field, value] of fields) {
    if (field === '' || field.split('.').includes('')) {
      throw badValue(`The $sort field is a dotted field but has an empty part: ${field}`);
    }
    if (!direction(value)) throw badValue('The $sort element value must be either 1 or -1');
  }
}

export const push: UpdateOperator = (ctx, arg) => {
  const array = arrayAt(ctx);
  const { values, modifiers } = eachOf(arg, ['$position', '$slice', '$sort']);
  let position = array.length;
  if (modifiers.$position !== undefined) {
    const p = intArg(modifiers.$position, '$position');
    position = p >= 0 ? Math.min(p, array.length) : Math.max(array.length + p, 0);
  }
  if (modifiers.$sort !== undefined) checkPushSort(modifiers.$sort);
  if (modifiers.$slice !== undefined) intArg(modifiers.$slice, '$slice');
  array.splice(position, 0, ...values);
  if (modifiers.$sort !== undefined) {
    const spec = modifiers.$sort;
    const sorted = isPlainObject(spec)
      ? sortDocuments(array as Doc[], spec)
      : sortDocuments(
          array.map((v) => ({ v })),
          { v: spec },
        ).map((d) => d.v);
    array.splice(0, array.length, ...sorted);
  }
  if (modifiers.$slice !== undefined) {
    const n = intArg(modifiers.$slice, '$slice');
    const kept = n >= 0 ? array.slice(0, n) : array.slice(Math.max(array.length + n, 0));
    array.splice(0, array.length, ...kept);
  }
};

export const addToSet: UpdateOperator = (ctx, arg) => {
  const array = arrayAt(ctx);
  const { values } = eachOf(arg, []);
  for (const value of values) {
    if (!array.some((existing) => compareValues(existing, value) === 0)) array.push(value);
  }
};

function removeWhere(
  ctx: OperatorContext,
  op: string,
  remove: (element: unknown) => boolean,
): void {
  const value = current(ctx);
  if (value === MISSING) return;
  if (!Array.isArray(value)) throw badValue(`Cannot apply ${op} to a non-array value`);
  const kept: unknown[] = value.filter((element: unknown) => !remove(element));
  value.splice(0, value.length, ...kept);
}

export const pull: UpdateOperator = (ctx, arg) => {
  let test: (element: unknown) => boolean;
  const first = isPlainObject(arg) ? Object.keys(arg)[0] : undefined;
  // As MongoDB's PullNode: an object led by a path operator ({$gte: 5}) tests each element as a
  // value; any other object ({a: 1}, {$or: [...]}, {$and: [...]}) is a query on document elements.
  if (isPlainObject(arg) && first?.startsWith('$') && !isTopLevelOperator(first)) {
    test = compileValueTest(arg);
  } else if (isPlainObject(arg)) {
    const predicate = compileFilter(arg);
    test = (e) => {
      const doc = asDocument(e);
      return doc !== undefined && predicate(doc);
    };
  } else {
    test = (e) => compareValues(e, arg) === 0;
  }
  removeWhere(ctx, '$pull', test);
};

export const pullAll: UpdateOperator = (ctx, arg) => {
  if (!Array.isArray(arg))
    throw badValue(`$pullAll requires an array argument but was given a ${bsonTypeName(arg)}`);
  removeWhere(ctx, '$pullAll', (e) => arg.some((v) => compareValues(e, v) === 0));
};

export const pop: UpdateOperator = (ctx, arg) => {
  const direction = isNumeric(arg) ? toDouble(arg) : NaN;
  if (direction !== 1 && direction !== -1) {
    throw new MongoCommandError(
      ErrorCode.FailedToParse,
      `$pop expects 1 or -1, found: ${formatValue(arg)}`,
    );
  }
  const slot = resolveSlot(ctx.root, ctx.parts, false, true);
  const value = slot ? getChild(slot.container, slot.key) : MISSING;
  if (value === MISSING) return;
  if (!Array.isArray(value)) {
    throw new MongoCommandError(
      ErrorCode.TypeMismatch,
      `Path '${ctx.path}' contains an element of non-array type '${bsonTypeName(value)}'`,
    );
  }
  if (direction === 1) value.pop();
  else value.shift();
};
