import { BSONRegExp, Double, Int32, Long } from 'bson';
import { Query } from 'mingo';
import { identical } from '../bson/compare';
import { toDouble } from '../bson/numbers';
import { Doc, isNumeric, isPlainObject, setField } from '../bson/values';
import { toJsRegExp } from './regex';

/**
 * mingo evaluates aggregation expressions on plain JS values. These functions carry documents
 * across that border: BSON numbers become JS numbers on the way in; on the way back, values
 * mingo left unchanged get their original BSON types back.
 */
export function toJs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJs);
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const key of Object.keys(value)) setField(out, key, toJs(value[key]));
    return out;
  }
  if (isNumeric(value)) return toDouble(value);
  if (value instanceof BSONRegExp) {
    try {
      return toJsRegExp(value.pattern, value.options);
    } catch {
      return value;
    }
  }
  return value;
}

export function fromJs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJs);
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const key of Object.keys(value)) {
      if (value[key] !== undefined) setField(out, key, fromJs(value[key]));
    }
    return out;
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff
      ? new Int32(value)
      : new Double(value);
  }
  if (typeof value === 'bigint') return Long.fromBigInt(value);
  if (value instanceof RegExp) return new BSONRegExp(value.source, value.flags);
  return value;
}

function jsEqual(original: unknown, result: unknown): boolean {
  return identical(fromJs(toJs(original)), fromJs(result));
}

/** fromJs, keeping the original BSON value wherever mingo's result did not change it. */
export function restoreTypes(original: unknown, result: unknown): unknown {
  if (isPlainObject(result) && isPlainObject(original)) {
    const out: Doc = {};
    for (const key of Object.keys(result)) {
      if (result[key] === undefined) continue;
      setField(
        out,
        key,
        Object.hasOwn(original, key)
          ? restoreTypes(original[key], result[key])
          : fromJs(result[key]),
      );
    }
    return out;
  }
  if (Array.isArray(result) && Array.isArray(original) && result.length === original.length) {
    return result.map((v: unknown, i) => restoreTypes(original[i], v));
  }
  return jsEqual(original, result) ? original : fromJs(result);
}

/** Evaluates a `$expr` condition against a document. */
export function exprMatcher(expr: unknown, variables?: Doc): (doc: Doc) => boolean {
  const query = new Query(
    { $expr: toJs(expr) },
    {
      variables: variables ? (toJs(variables) as Doc) : undefined,
    },
  );
  return (doc) => query.test(toJs(doc) as Doc);
}
