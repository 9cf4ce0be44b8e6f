import { valueKey } from '../bson/compare';
import { cloneValue, Doc, isArray, isPlainObject, MISSING } from '../bson/values';
import { badValue } from '../errors';
import { collectLeaves, splitPath } from './paths';
import { setDotted } from './update-paths';

export interface LookupSpec {
  from: string;
  localField: string;
  foreignField: string;
  as: string;
}

export function isEqualityLookup(arg: unknown): arg is LookupSpec {
  return (
    isPlainObject(arg) &&
    arg.pipeline === undefined &&
    arg.let === undefined &&
    ['from', 'localField', 'foreignField', 'as'].every((k) => typeof arg[k] === 'string')
  );
}

/** The values a local document looks up: the elements along the path, or null when none. */
function localValues(doc: Doc, parts: string[]): unknown[] {
  const values = collectLeaves(doc, parts)
    .filter((leaf) => leaf !== MISSING)
    .flatMap((leaf) => (isArray(leaf) ? leaf : [leaf]));
  return values.length ? values : [null];
}

/** Keys under which `{foreignField: {$eq: v}}` finds a foreign document. */
function foreignKeys(doc: Doc, parts: string[]): Set<string> {
  const keys = new Set<string>();
  for (const leaf of collectLeaves(doc, parts)) {
    keys.add(valueKey(leaf === MISSING ? null : leaf));
    if (isArray(leaf)) for (const element of leaf) keys.add(valueKey(element));
  }
  if (keys.size === 0) keys.add(valueKey(null));
  return keys;
}

/**
 * The equality form of `$lookup`: each document gets, under `as`, the foreign documents that
 * `{foreignField: {$eq: v}}` matches for any local value v (MongoDB's array semantics).
 */
export function equalityLookup(docs: Doc[], spec: LookupSpec, foreign: Doc[]): Doc[] {
  if (spec.as === '' || spec.as.startsWith('$'))
    throw badValue("$lookup 'as' must be a field path");
  const foreignParts = splitPath(spec.foreignField);
  const byKey = new Map<string, number[]>();
  foreign.forEach((doc, i) => {
    for (const key of foreignKeys(doc, foreignParts)) {
      const list = byKey.get(key);
      if (list) list.push(i);
      else byKey.set(key, [i]);
    }
  });
  const localParts = splitPath(spec.localField);
  const asParts = splitPath(spec.as);
  return docs.map((doc) => {
    const hits = new Set<number>();
    for (const value of localValues(doc, localParts)) {
      for (const i of byKey.get(valueKey(value)) ?? []) hits.add(i);
    }
    const out = cloneValue(doc);
    setDotted(
      out,
      asParts,
      [...hits].sort((a, b) => a - b).map((i) => foreign[i]),
    );
    return out;
  });
}
