import { Doc, isArray, isPlainObject } from '../bson/values';
import { compileFilter } from './matcher';
import { getPath, isArrayIndex, splitPath, withValueAt } from './paths';

/** The query's field conditions in order, looking through `$and` and the first `$or` branch that holds. */
function clauses(filter: Doc, doc: Doc): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && isArray(value)) {
      for (const sub of value) if (isPlainObject(sub)) out.push(...clauses(sub, doc));
    } else if (key === '$or' && isArray(value)) {
      const branch = value.find((sub) => isPlainObject(sub) && compileFilter(sub)(doc));
      if (isPlainObject(branch)) out.push(...clauses(branch, doc));
    } else if (!key.startsWith('$')) {
      out.push([key, value]);
    }
  }
  return out;
}

/**
 * The concrete path of the first array a path goes through. With `explicitIndexes`, a numeric
 * part indexes into an array instead (that array is then not the one `$` refers to).
 */
export function firstArrayAlong(
  doc: Doc,
  parts: readonly string[],
  explicitIndexes: boolean,
): string[] | undefined {
  let current: unknown = doc;
  const prefix: string[] = [];
  for (const part of parts) {
    if (isArray(current)) {
      if (!explicitIndexes || !isArrayIndex(part)) return prefix;
      current = current[Number(part)];
    } else if (isPlainObject(current) && Object.hasOwn(current, part)) {
      current = current[part];
    } else {
      return undefined;
    }
    prefix.push(part);
  }
  return isArray(current) ? prefix : undefined;
}

/**
 * The array position the positional `$` stands for: for each condition of the query, the first
 * element of the array its path traverses for which that condition holds; the last condition
 * that found one wins, as in MongoDB.
 */
export function matchedPosition(doc: Doc, filter: Doc): number | undefined {
  let position: number | undefined;
  for (const [path, condition] of clauses(filter, doc)) {
    const prefix = firstArrayAlong(doc, splitPath(path), true);
    if (!prefix) continue;
    const array = getPath(doc, prefix) as unknown[];
    const clause = compileFilter({ [path]: condition });
    const index = array.findIndex((element) => clause(withValueAt(doc, prefix, [element]) as Doc));
    if (index >= 0) position = index;
  }
  return position;
}
