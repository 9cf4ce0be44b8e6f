import { Doc } from '../bson/values';
import { Predicate } from './matcher';
import { getPath, withValueAt } from './paths';

/**
 * The index of the first element of the array at `arrayParts` that the query matched: the
 * element for which the query still holds when the array is cut down to that one element.
 */
export function positionalIndex(
  doc: Doc,
  arrayParts: readonly string[],
  predicate: Predicate,
): number | undefined {
  const array = getPath(doc, arrayParts);
  if (!Array.isArray(array)) return undefined;
  for (let i = 0; i < array.length; i++) {
    if (predicate(withValueAt(doc, arrayParts, [array[i]]))) return i;
  }
  return undefined;
}
