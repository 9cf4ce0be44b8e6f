import { Aggregator } from 'mingo';
import { Doc, isArray, isPlainObject, MISSING } from '../bson/values';
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
    if (keys.some((k) => k.startsWith('$'))) return mingoEvaluator(expr, variables);
    const fields = keys.map((k): [string, Evaluator] => [k, compileExpression(expr[k], variables)]);
    return (doc) => {
      const out: Doc = {};
      for (const [key, evaluate] of fields) {
        const value = evaluate(doc);
        if (value !== MISSING) out[key] = value;
      }
      return out;
    };
  }
  if (isArray(expr)) return mingoEvaluator(expr, variables);
  return () => expr;
}
