import { Long, Timestamp } from 'bson';
import { compareValues } from '../bson/compare';
import { formatValue } from '../bson/format';
import { addNumbers, fromIntegerLike, multiplyNumbers, toInteger, zeroLike } from '../bson/numbers';
import { bsonTypeName, cloneValue, Doc, isNumeric, isPlainObject, MISSING } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError } from '../errors';
import { getChild, removeChild, resolveSlot, setChild } from './update-paths';
import { addToSet, pop, pull, pullAll, push } from './update-array-operators';
import { current, idText, type UpdateOperator, write } from './update-context';

export type { OperatorContext, UpdateOperator } from './update-context';

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
