import { compareValues } from '../bson/compare';

export interface Entry {
  value: unknown;
  id: string;
}

const CHUNK_SIZE = 512;

function compareEntries(a: Entry, b: Entry): number {
  return compareValues(a.value, b.value) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** First index in [0, length) where the monotone predicate holds (length if none). */
function lowerBound<T>(items: readonly T[], holds: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (holds(items[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Index entries kept in MongoDB's value order, in chunks of a few hundred so that an insert or a
 * removal moves a chunk, not the whole index. Serves range scans.
 */
export class SortedEntries {
  private chunks: Entry[][] = [];

  insert(entry: Entry): void {
    if (this.chunks.length === 0) {
      this.chunks.push([entry]);
      return;
    }
    let c = lowerBound(this.chunks, (chunk) => compareEntries(chunk[chunk.length - 1], entry) >= 0);
    if (c === this.chunks.length) c--;
    const chunk = this.chunks[c];
    chunk.splice(
      lowerBound(chunk, (e) => compareEntries(e, entry) >= 0),
      0,
      entry,
    );
    if (chunk.length > CHUNK_SIZE * 2)
      this.chunks.splice(c, 1, chunk.slice(0, CHUNK_SIZE), chunk.slice(CHUNK_SIZE));
  }

  remove(entry: Entry): void {
    const c = lowerBound(
      this.chunks,
      (chunk) => compareEntries(chunk[chunk.length - 1], entry) >= 0,
    );
    const chunk = this.chunks.at(c);
    if (!chunk) return;
    const i = lowerBound(chunk, (e) => compareEntries(e, entry) >= 0);
    if (i < chunk.length && compareEntries(chunk[i], entry) === 0) {
      chunk.splice(i, 1);
      if (chunk.length === 0) this.chunks.splice(c, 1);
    }
  }

  /**
   * Entries from the first one for which `from` holds, while `within` holds. Both predicates
   * must be monotone in the entries' order.
   */
  *scan(from: (value: unknown) => boolean, within: (value: unknown) => boolean): Generator<Entry> {
    let c = lowerBound(this.chunks, (chunk) => from(chunk[chunk.length - 1].value));
    if (c === this.chunks.length) return;
    let i = lowerBound(this.chunks[c], (e) => from(e.value));
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c];
      for (; i < chunk.length; i++) {
        if (!within(chunk[i].value)) return;
        yield chunk[i];
      }
    }
  }
}
