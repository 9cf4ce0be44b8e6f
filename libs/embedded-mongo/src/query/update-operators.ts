import { Long, Timestamp } from 'bson';
import { compareValues } from '../bson/compare';
import { formatValue } from '../bson/format';
import {
  addNumbers,
  fromIntegerLike,
  multiplyNumbers,
  toDouble,
  toInteger,
  zeroLike,
} from '../bson/numbers';
import { bsonTypeName, cloneValue, Doc, isNumeric, isPlainObject, MISSING } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError } from '../errors';
import { compileFilter, compileValueTest } from './matcher';
import { sortDocuments } from './sort';
import { getChild, removeChild, resolveSlot, setChild } from './update-paths';

export interface OperatorContext {
  root: Doc;
  /** The concrete path being updated, for messages. */
  path: string;
  parts: string[];
  now: Date;
}

export type UpdateOperator = (ctx: OperatorContext, arg: unknown) => void;

function idText(ctx: OperatorContext): string {
  return `{_id: ${formatValue(ctx.root._id)}}`;
}

function write(ctx: OperatorContext, value: unknown): void {
  const slot = resolveSlot(ctx.root, ctx.parts, true);
  if (slot) setChild(slot.container, slot.key, value, ctx.parts[ctx.parts.length - 2]);
}

function current(ctx: OperatorContext): unknown {
  const slot = resolveSlot(ctx.root, ctx.parts, false);
  return slot ? getChild(slot.container, slot.key) : MISSING;
}

function arithmetic(op: '$inc' | '$mul'): UpdateOperator {
  return (ctx, arg) => {
    if (!isNumeric(arg)) {
      const verb = op === '$inc' ? 'increment' : 'multiply';
      throw new MongoCommandError(
        ErrorCode.TypeMismatch,
        `Cannot ${verb} with non-numeric argument: {${ctx.path}: ${formatValue(arg)}}`,
      );
    }
    const value = current(ctx);
    if (value === MISSING) {
      write(ctx, op === '$inc' ? arg : zeroLike(arg));
      return;
    }
    if (!isNumeric(value)) {
      throw new MongoCommandError(
        ErrorCode.TypeMismatch,
        `Cannot apply ${op} to a value of non-numeric type. ${idText(ctx)} has the field ` +
          `'${ctx.parts[ctx.parts.length - 1]}' of non-numeric type ${bsonTypeName(value)}`,
      );
    }
    write(ctx, op === '$inc' ? addNumbers(value, arg) : multiplyNumbers(value, arg));
  };
}

function extremum(keepIf: (cmp: number) => boolean): UpdateOperator {
  return (ctx, arg) => {
    const value = current(ctx);
    if (value === MISSING || keepIf(compareValues(arg, value))) write(ctx, cloneValue(arg));
  };
}

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

const push: UpdateOperator = (ctx, arg) => {
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

const addToSet: UpdateOperator = (ctx, arg) => {
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

const pull: UpdateOperator = (ctx, arg) => {
  let test: (element: unknown) => boolean;
  if (isPlainObject(arg) && Object.keys(arg)[0]?.startsWith('$')) {
    test = compileValueTest(arg);
  } else if (isPlainObject(arg)) {
    const predicate = compileFilter(arg);
    test = (e) => isPlainObject(e) && predicate(e);
  } else {
    test = (e) => compareValues(e, arg) === 0;
  }
  removeWhere(ctx, '$pull', test);
};

const pullAll: UpdateOperator = (ctx, arg) => {
  if (!Array.isArray(arg))
    throw badValue(`$pullAll requires an array argument but was given a ${bsonTypeName(arg)}`);
  removeWhere(ctx, '$pullAll', (e) => arg.some((v) => compareValues(e, v) === 0));
};

const pop: UpdateOperator = (ctx, arg) => {
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

let timestampIncrement = 0;

const currentDate: UpdateOperator = (ctx, arg) => {
  const type = isPlainObject(arg) ? arg.$type : arg === true ? 'date' : undefined;
  if (type === 'date') {
    write(ctx, new Date(ctx.now.getTime()));
  } else if (type === 'timestamp') {
    timestampIncrement = (timestampIncrement + 1) % 0x7fffffff;
    write(ctx, new Timestamp({ t: Math.floor(ctx.now.getTime() / 1000), i: timestampIncrement }));
  } else {
    throw badValue(
      `${formatValue(arg)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`,
    );
  }
};

const bit: UpdateOperator = (ctx, arg) => {
  if (!isPlainObject(arg) || Object.keys(arg).length === 0) {
    throw badValue(`The $bit modifier is not compatible with a ${bsonTypeName(arg)}`);
  }
  const value = current(ctx);
  let result: bigint | undefined;
  let like: unknown = value;
  for (const [op, operand] of Object.entries(arg)) {
    const n =
      isNumeric(operand) && ['int', 'long'].includes(bsonTypeName(operand))
        ? toInteger(operand)
        : undefined;
    if (n === undefined) throw badValue(`The $bit modifier field must be an Integer(32/64 bit)`);
    if (value !== MISSING && !(isNumeric(value) && ['int', 'long'].includes(bsonTypeName(value)))) {
      throw badValue(
        `Cannot apply $bit to a value of non-integral type. ${idText(ctx)} has the field ${ctx.path} of non-integer type ${bsonTypeName(value)}`,
      );
    }
    if (value === MISSING) like = operand;
    result ??= value === MISSING ? 0n : (toInteger(value) ?? 0n);
    if (op === 'and') result &= n;
    else if (op === 'or') result |= n;
    else if (op === 'xor') result ^= n;
    else throw badValue(`The $bit modifier only supports 'and', 'or', and 'xor', not '${op}'`);
  }
  write(ctx, fromIntegerLike(BigInt.asIntN(64, result ?? 0n), like as Long));
};

export const UPDATE_OPERATORS: Record<string, UpdateOperator> = {
  $set: (ctx, arg) => {
    write(ctx, cloneValue(arg));
  },
  $unset: (ctx) => {
    const slot = resolveSlot(ctx.root, ctx.parts, false);
    if (slot) removeChild(slot.container, slot.key);
  },
  $inc: arithmetic('$inc'),
  $mul: arithmetic('$mul'),
  $min: extremum((cmp) => cmp < 0),
  $max: extremum((cmp) => cmp > 0),
  $push: push,
  $addToSet: addToSet,
  $pull: pull,
  $pullAll: pullAll,
  $pop: pop,
  $currentDate: currentDate,
  $bit: bit,
};

/** Moves a field; array elements cannot be a source or a target. */
export function renameField(root: Doc, from: string[], to: string[], path: string): void {
  const slot = resolveSlot(root, from, false);
  if (!slot) return;
  if (Array.isArray(slot.container)) {
    throw badValue(
      `The source field cannot be an array element, '${path}' in doc with _id: ${formatValue(root._id)} has an array field called '${from[from.length - 2]}'`,
    );
  }
  const value = getChild(slot.container, slot.key);
  if (value === MISSING) return;
  const target = resolveSlot(root, to, true);
  if (target && Array.isArray(target.container)) {
    throw badValue(
      `The destination field cannot be an array element, '${to.join('.')}' in doc with _id: ${formatValue(root._id)} has an array field called '${to[to.length - 2]}'`,
    );
  }
  removeChild(slot.container, slot.key);
  if (target) setChild(target.container, target.key, value);
}
