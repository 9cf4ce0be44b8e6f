import { Aggregator } from 'mingo';
import { Int32 } from 'bson';
import { addNumbers, averageOf, multiplyNumbers } from '../bson/numbers';
import {
  BsonNumber,
  Doc,
  isArray,
  isNumeric,
  isPlainObject,
  MISSING,
  setField,
} from '../bson/values';
import { fromJs, toJs } from './mingo-bridge';
import { splitPath } from './paths';

export type Evaluator = (doc: Doc) => unknown;

/** `$a.b` in an expression: arrays along the path map to arrays of the values found. */
function fieldPathValue(value: unknown, parts: readonly string[], i = 0): unknown {
  if (i === parts.length) return value;
  if (isArray(value)) {
    return value
      .filter((element) => isPlainObject(element) || isArray(element))
      .map((element) => fieldPathValue(element, parts, i))
      .filter((v) => v !== MISSING);
  }
  if (isPlainObject(value) && Object.hasOwn(value, parts[i])) {
    return fieldPathValue(value[parts[i]], parts, i + 1);
  }
  return MISSING;
}

function mingoEvaluator(expr: unknown, variables?: Doc): Evaluator {
  const aggregator = new Aggregator([{ $replaceWith: { v: toJs(expr) } }], {
    variables: variables ? (toJs(variables) as Doc) : undefined,
  });
  return (doc) => {
    const [out] = aggregator.run<Doc>([toJs(doc)]);
    return out.v === undefined ? MISSING : fromJs(out.v);
  };
}

/**
 * Compiles an aggregation expression. Field paths, `$$ROOT`, literals and documents of those are
 * evaluated here on BSON values (types kept exactly); operator expressions go to mingo.
 */
export function compileExpression(expr: unknown, variables?: Doc): Evaluator {
  if (typeof expr === 'string' && expr.startsWith('$')) {
    if (expr === '$$ROOT' || expr === '$$CURRENT') return (doc) => doc;
    if (expr.startsWith('$$')) return mingoEvaluator(expr, variables);
    const parts = splitPath(expr.slice(1));
    return (doc) => fieldPathValue(doc, parts);
  }
  if (isPlainObject(expr)) {
    const keys = Object.keys(expr);
    if (keys.length === 1 && keys[0].startsWith('$')) {
      const native = nativeOperator(keys[0], expr[keys[0]], variables);
      if (native) return native;
    }
    if (keys.some((k) => k.startsWith('$'))) return mingoEvaluator(expr, variables);
    const fields = keys.map((k): [string, Evaluator] => [k, compileExpression(expr[k], variables)]);
    return (doc) => {
      const out: Doc = {};
      for (const [key, evaluate] of fields) {
        const value = evaluate(doc);
        if (value !== MISSING) setField(out, key, value);
      }
      return out;
    };
  }
  if (isArray(expr)) return mingoEvaluator(expr, variables);
  return () => expr;
}

function operands(arg: unknown, variables?: Doc): Evaluator[] {
  return (isArray(arg) ? arg : [arg]).map((a) => compileExpression(a, variables));
}

/** Numbers of a $sum/$avg operand: the array's numeric elements, or the value if numeric. */
function numbersIn(value: unknown): BsonNumber[] {
  if (isArray(value)) return value.filter(isNumeric);
  return isNumeric(value) ? [value] : [];
}

/**
 * Operators evaluated on BSON values, so that number types promote as in MongoDB (int32 overflow
 * gives an int64, a decimal stays a decimal): $add, $subtract, $multiply, $sum, $avg; and $expr,
 * $literal, $const.
 */
function nativeOperator(op: string, arg: unknown, variables?: Doc): Evaluator | undefined {
  switch (op) {
    case '$expr':
      return compileExpression(arg, variables);
    case '$literal':
    case '$const':
      return () => arg;
    case '$add':
    case '$multiply': {
      const args = operands(arg, variables);
      const combine = op === '$add' ? addNumbers : multiplyNumbers;
      return (doc) => {
        const values = args.map((a) => a(doc));
        if (values.some((v) => v === MISSING || v === null)) return null;
        if (!values.every(isNumeric)) return mingoEvaluator({ [op]: arg }, variables)(doc);
        return values.reduce<BsonNumber>(
          (total, v) => combine(total, v),
          new Int32(op === '$add' ? 0 : 1),
        );
      };
    }
    case '$subtract': {
      const args = operands(arg, variables);
      if (args.length !== 2) return undefined;
      return (doc) => {
        const [a, b] = args.map((e) => e(doc));
        if (a === MISSING || a === null || b === MISSING || b === null) return null;
        if (!isNumeric(a) || !isNumeric(b))
          return mingoEvaluator({ $subtract: arg }, variables)(doc);
        return addNumbers(a, multiplyNumbers(b, new Int32(-1)));
      };
    }
    case '$sum':
    case '$avg': {
      const args = operands(arg, variables);
      const single = !isArray(arg);
      return (doc) => {
        const values = single ? numbersIn(args[0](doc)) : args.flatMap((a) => numbersIn(a(doc)));
        if (op === '$sum')
          return values.reduce<BsonNumber>((t, v) => addNumbers(t, v), new Int32(0));
        if (values.length === 0) return null;
        return averageOf(
          values.reduce<BsonNumber>((t, v) => addNumbers(t, v), new Int32(0)),
          values.length,
        );
      };
    }
    default:
      return undefined;
  }
}
