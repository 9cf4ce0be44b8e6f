import { compareValues } from '../bson/compare';
import { toDouble } from '../bson/numbers';
import { Doc, isArray, isNumeric, isPlainObject, MinKey } from '../bson/values';
import { badValue, notSupported } from '../errors';
import { collectLeaves, splitPath } from './paths';
import { firstArrayAlong } from './positional';

interface SortField {
  parts: string[];
  direction: 1 | -1;
}

/** Empty arrays sort below null, as MongoDB orders them. */
const EMPTY_ARRAY_KEY = new MinKey();

export function parseSort(spec: unknown): SortField[] {
  if (spec === undefined || spec === null) return [];
  if (!isPlainObject(spec)) throw badValue('sort must be an object');
  return Object.entries(spec).map(([path, dir]) => {
    if (isPlainObject(dir) && '$meta' in dir) throw notSupported('$meta sort');
    const value = isNumeric(dir) ? toDouble(dir) : NaN;
    if (value !== 1 && value !== -1) {
      throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
    }
    return { parts: splitPath(path), direction: value };
  });
}

/** The value a document sorts by on one field: an array's smallest (or largest) element. */
function sortKey(doc: Doc, field: SortField): unknown {
  const candidates: unknown[] = [];
  for (const leaf of collectLeaves(doc, field.parts)) {
    if (!isArray(leaf)) candidates.push(leaf);
    else if (leaf.length === 0) candidates.push(EMPTY_ARRAY_KEY);
    else candidates.push(...leaf);
  }
  if (candidates.length === 0) return null;
  return candidates.reduce((best, v) => (compareValues(v, best) * field.direction < 0 ? v : best));
}

/** Like a compound index key, a compound sort key cannot come from two different arrays. */
function checkParallelArrays(doc: Doc, fields: SortField[]): void {
  const arrays = new Set<string>();
  for (const field of fields) {
    const prefix = firstArrayAlong(doc, field.parts, false);
    if (prefix) arrays.add(prefix.join('.'));
  }
  if (arrays.size > 1) throw badValue('cannot sort with keys that are parallel arrays');
}

/** Sorts documents stably by a MongoDB sort specification; `$natural` keeps insertion order. */
export function sortDocuments(docs: Doc[], spec: unknown): Doc[] {
  const fields = parseSort(spec);
  if (fields.length === 0) return docs;
  if (fields.length === 1 && fields[0].parts[0] === '$natural') {
    return fields[0].direction === 1 ? docs : [...docs].reverse();
  }
  if (fields.length > 1) for (const doc of docs) checkParallelArrays(doc, fields);
  const decorated = docs.map((doc, index) => ({
    doc,
    index,
    keys: fields.map((field) => sortKey(doc, field)),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const cmp = compareValues(a.keys[i], b.keys[i]);
      if (cmp !== 0) return cmp * fields[i].direction;
    }
    return a.index - b.index;
  });
  return decorated.map((d) => d.doc);
}
