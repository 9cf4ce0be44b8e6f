import { valueKey } from '../bson/compare';
import { formatValue } from '../bson/format';
import { Doc, MISSING, setField } from '../bson/values';
import { ErrorCode, MongoCommandError } from '../errors';
import { compileFilter, Predicate } from '../query/matcher';
import { collectLeaves, splitPath } from '../query/paths';
import { SortedEntries } from './sorted-entries';

export interface IndexSpec extends Doc {
  v: number;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
}

export interface IndexKey {
  key: string;
  values: unknown[];
}

interface FieldValues {
  values: unknown[];
  fromArray: boolean;
  missing: boolean;
}

function fieldValues(doc: Doc, parts: string[]): FieldValues {
  const byKey = new Map<string, unknown>();
  let fromArray = false;
  let missing = true;
  for (const leaf of collectLeaves(doc, parts)) {
    if (leaf !== MISSING) missing = false;
    if (Array.isArray(leaf) && leaf.length > 0) {
      fromArray = true;
      for (const element of leaf) byKey.set(valueKey(element), element);
    } else {
      const value = leaf === MISSING ? null : leaf;
      byKey.set(valueKey(value), value);
    }
  }
  if (byKey.size === 0) byKey.set(valueKey(null), null);
  return { values: [...byKey.values()], fromArray, missing };
}

/**
 * A secondary index: a hash from each key (exact across numeric types, see valueKey) to the ids
 * of the documents holding it. Multikey over arrays, compound, unique, sparse and partial.
 */
export class CollectionIndex {
  readonly fields: { path: string; parts: string[] }[];
  private readonly entries = new Map<string, Set<string>>();
  /** The first field's values in order, for range scans. */
  private readonly ordered = new SortedEntries();
  private readonly partial?: Predicate;
  /** Some document gave this index several keys from an array (never reset, as in MongoDB). */
  multikey = false;

  constructor(
    readonly spec: IndexSpec,
    private readonly ns: string,
  ) {
    this.fields = Object.keys(spec.key).map((path) => ({ path, parts: splitPath(path) }));
    if (spec.partialFilterExpression) this.partial = compileFilter(spec.partialFilterExpression);
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  get sparse(): boolean {
    return this.spec.sparse === true;
  }

  get isPartial(): boolean {
    return this.partial !== undefined;
  }

  /** The keys a document has in this index; none when sparse or partial leaves it out. */
  keysFor(doc: Doc): IndexKey[] {
    if (this.partial && !this.partial(doc)) return [];
    const perField = this.fields.map((field) => fieldValues(doc, field.parts));
    if (this.sparse && perField.every((f) => f.missing)) return [];
    const arrays = perField.filter((f) => f.fromArray);
    if (arrays.length > 0) this.multikey = true;
    if (arrays.length > 1) {
      const names = this.fields.filter((_, i) => perField[i].fromArray).map((f) => `[${f.path}]`);
      throw new MongoCommandError(
        ErrorCode.CannotIndexParallelArrays,
        `cannot index parallel arrays ${names.join(' ')}`,
      );
    }
    let combos: unknown[][] = [[]];
    for (const field of perField) {
      combos = combos.flatMap((combo) => field.values.map((value) => [...combo, value]));
    }
    return combos.map((values) => ({ key: this.keyOf(values), values }));
  }

  keyOf(values: unknown[]): string {
    return values.length === 1 ? valueKey(values[0]) : JSON.stringify(values.map(valueKey));
  }

  /** The first key that another document already holds, when this index is unique. */
  findConflict(keys: IndexKey[], selfId: string | undefined): IndexKey | undefined {
    if (!this.unique) return undefined;
    return keys.find((k) => {
      const ids = this.entries.get(k.key);
      return ids !== undefined && (ids.size > 1 || !ids.has(selfId ?? ''));
    });
  }

  add(id: string, keys: IndexKey[]): void {
    for (const { key } of keys) {
      let ids = this.entries.get(key);
      if (!ids) this.entries.set(key, (ids = new Set()));
      ids.add(id);
    }
    for (const value of firstValues(keys)) this.ordered.insert({ value, id });
  }

  remove(id: string, keys: IndexKey[]): void {
    for (const { key } of keys) {
      const ids = this.entries.get(key);
      ids?.delete(id);
      if (ids?.size === 0) this.entries.delete(key);
    }
    for (const value of firstValues(keys)) this.ordered.remove({ value, id });
  }

  /** Ids whose first indexed field has a value in the scanned range. */
  scanFirstField(
    from: (value: unknown) => boolean,
    within: (value: unknown) => boolean,
  ): Set<string> {
    const ids = new Set<string>();
    for (const entry of this.ordered.scan(from, within)) ids.add(entry.id);
    return ids;
  }

  lookup(key: string): ReadonlySet<string> | undefined {
    return this.entries.get(key);
  }

  get keyCount(): number {
    return this.entries.size;
  }

  duplicateError(conflict: IndexKey): MongoCommandError {
    return duplicateKeyError(
      this.ns,
      this.name,
      this.spec.key,
      this.fields.map((f) => f.path),
      conflict.values,
    );
  }
}

function firstValues(keys: IndexKey[]): unknown[] {
  const byKey = new Map<string, unknown>();
  for (const { values } of keys) byKey.set(valueKey(values[0]), values[0]);
  return [...byKey.values()];
}

export function duplicateKeyError(
  ns: string,
  indexName: string,
  keyPattern: Doc,
  paths: string[],
  values: unknown[],
): MongoCommandError {
  const keyValue: Doc = {};
  paths.forEach((path, i) => {
    setField(keyValue, path, values[i]);
  });
  return new MongoCommandError(
    ErrorCode.DuplicateKey,
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: ${formatValue(keyValue)}`,
    { keyPattern, keyValue },
  );
}
