import { compareValues } from '../bson/compare';
import { toDouble } from '../bson/numbers';
import { Doc, isNumeric, isPlainObject, isRegex, TypeOrder, typeOrder } from '../bson/values';
import { sortDocuments } from '../query/sort';
import { Collection } from './collection';
import { CollectionIndex } from './collection-index';

export interface Plan {
  stage: 'IDHACK' | 'IXSCAN' | 'COLLSCAN';
  indexName?: string;
  keyPattern?: Doc;
  /** Candidate documents: a superset of the matches, to be filtered by the full query. */
  candidates: Doc[] | Iterable<Doc>;
  keysExamined: number;
}

const MAX_COMBINATIONS = 1000;

function usableValue(value: unknown): boolean {
  if (isRegex(value) || Array.isArray(value)) return false;
  if (isPlainObject(value)) return !(Object.keys(value)[0]?.startsWith('$') ?? false);
  return true;
}

/** Per path, the values an equality or `$in` condition of the query restricts it to. */
function equalityConstraints(
  filter: Doc,
  out = new Map<string, unknown[]>(),
): Map<string, unknown[]> {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const sub of value) if (isPlainObject(sub)) equalityConstraints(sub, out);
      continue;
    }
    if (key.startsWith('$') || out.has(key)) continue;
    if (isPlainObject(value) && Object.keys(value)[0]?.startsWith('$')) {
      if (Object.hasOwn(value, '$eq') && usableValue(value.$eq)) out.set(key, [value.$eq]);
      else if (Array.isArray(value.$in) && value.$in.every(usableValue)) out.set(key, value.$in);
    } else if (usableValue(value)) {
      out.set(key, [value]);
    }
  }
  return out;
}

interface Bound {
  value: unknown;
  inclusive: boolean;
}

interface Range {
  lo?: Bound;
  hi?: Bound;
}

function rangeBound(value: unknown): boolean {
  const order = typeOrder(value);
  return (
    usableValue(value) &&
    !isPlainObject(value) &&
    order !== TypeOrder.minKey &&
    order !== TypeOrder.maxKey
  );
}

/** Per path, the bounds of `$gt`/`$gte`/`$lt`/`$lte` conditions at the top level of the query. */
function rangeConstraints(filter: Doc): Map<string, Range> {
  const out = new Map<string, Range>();
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith('$') || !isPlainObject(value)) continue;
    const range: Range = {};
    for (const [op, bound] of Object.entries(value)) {
      if (!rangeBound(bound)) continue;
      if (op === '$gt' || op === '$gte') range.lo = { value: bound, inclusive: op === '$gte' };
      if (op === '$lt' || op === '$lte') range.hi = { value: bound, inclusive: op === '$lte' };
    }
    if (range.lo || range.hi) out.set(key, range);
  }
  return out;
}

/**
 * Ids in a range of the index's first field. Type bracketing keeps the scan inside the bound's
 * type; on a multikey index only one bound is used, since two conditions may hold on different
 * elements of the same array.
 */
function rangeCandidates(index: CollectionIndex, range: Range): Set<string> | undefined {
  if (index.isPartial) return undefined;
  const { lo } = range;
  const hi = index.multikey && lo ? undefined : range.hi;
  const order = typeOrder((lo ?? hi)?.value);
  if (index.sparse && order === TypeOrder.null) return undefined;
  const from = lo
    ? (v: unknown) => compareValues(v, lo.value) >= (lo.inclusive ? 0 : 1)
    : (v: unknown) => typeOrder(v) >= order;
  const within = (v: unknown): boolean =>
    typeOrder(v) === order && (!hi || compareValues(v, hi.value) <= (hi.inclusive ? 0 : -1));
  return index.scanFirstField(from, within);
}

/**
 * Ids an index gives for the query's equality conditions: an exact key lookup when every indexed
 * field has one, else a scan of the first field's values when at least that one has (an equality
 * prefix, as MongoDB's planner uses it; the full query filters the candidates afterwards).
 */
function indexCandidates(
  index: CollectionIndex,
  constraints: Map<string, unknown[]>,
): Set<string> | undefined {
  if (index.isPartial) return undefined;
  const firstValues = constraints.get(index.fields[0].path);
  if (!firstValues || (index.sparse && firstValues.some((v) => v === null))) return undefined;
  let combos: unknown[][] = [[]];
  for (const field of index.fields) {
    const values = constraints.get(field.path);
    if (!values || (index.sparse && values.some((v) => v === null))) {
      return firstFieldCandidates(index, firstValues);
    }
    combos = combos.flatMap((combo) => values.map((v) => [...combo, v]));
    if (combos.length > MAX_COMBINATIONS) return firstFieldCandidates(index, firstValues);
  }
  const ids = new Set<string>();
  for (const combo of combos) {
    for (const id of index.lookup(index.keyOf(combo)) ?? []) ids.add(id);
  }
  return ids;
}

function firstFieldCandidates(index: CollectionIndex, values: unknown[]): Set<string> {
  const ids = new Set<string>();
  for (const value of values) {
    const found = index.scanFirstField(
      (v) => compareValues(v, value) >= 0,
      (v) => compareValues(v, value) === 0,
    );
    for (const id of found) ids.add(id);
  }
  return ids;
}

/** The sort specification of an index's scan order: each field ascending or descending. */
function indexOrder(key: Doc): Doc {
  return Object.fromEntries(
    Object.entries(key).map(([field, dir]) => [
      field,
      isNumeric(dir) && toDouble(dir) < 0 ? -1 : 1,
    ]),
  );
}

/** Chooses how to find a query's candidates: by _id, by the narrowest usable index, or a scan. */
export function planQuery(collection: Collection, filter: Doc, hintedIndex?: string): Plan {
  const hinted = hintedIndex === undefined ? undefined : collection.findIndex(hintedIndex);
  if (hinted) {
    // A hinted index is read whole, as MongoDB does: a sparse or partial one leaves documents out.
    const ids = hinted.scanFirstField(
      () => true,
      () => true,
    );
    // Read in the index's order, as MongoDB's scan returns it: by key, then by record (natural
    // order) among equal keys.
    const inIndex = [...collection.docs.entries()].filter(([id]) => ids.has(id)).map(([, d]) => d);
    const docs = sortDocuments(inIndex, indexOrder(hinted.spec.key));
    return {
      stage: 'IXSCAN',
      indexName: hinted.name,
      keyPattern: hinted.spec.key,
      candidates: docs,
      keysExamined: ids.size,
    };
  }
  const constraints = equalityConstraints(filter);
  const ids = constraints.get('_id');
  if (ids) {
    const found = new Set(ids.map((id) => collection.getById(id)));
    found.delete(undefined);
    const docs = [...found] as Doc[];
    return {
      stage: 'IDHACK',
      indexName: '_id_',
      keyPattern: { _id: 1 },
      candidates: docs,
      keysExamined: docs.length,
    };
  }
  const ranges = rangeConstraints(filter);
  let best: { index: CollectionIndex; ids: Set<string> } | undefined;
  for (const index of collection.indexes) {
    const range = ranges.get(index.fields[0].path);
    for (const found of [
      indexCandidates(index, constraints),
      range && rangeCandidates(index, range),
    ]) {
      if (found && (!best || found.size < best.ids.size)) best = { index, ids: found };
    }
  }
  if (best) {
    const docs = [...best.ids]
      .map((id) => collection.docs.get(id))
      .filter((d): d is Doc => d !== undefined);
    return {
      stage: 'IXSCAN',
      indexName: best.index.name,
      keyPattern: best.index.spec.key,
      candidates: docs,
      keysExamined: best.ids.size,
    };
  }
  return { stage: 'COLLSCAN', candidates: collection.docs.values(), keysExamined: 0 };
}
