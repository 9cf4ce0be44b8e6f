import { calculateObjectSize, ObjectId, UUID } from 'bson';
import { valueKey } from '../bson/compare';
import { Doc, isRegex, setField } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError } from '../errors';
import { CollectionIndex, duplicateKeyError, IndexKey, IndexSpec } from './collection-index';

export const MAX_BSON_SIZE = 16 * 1024 * 1024;
export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

function checkSize(doc: Doc, code: number, what: string): void {
  const size = calculateObjectSize(doc);
  if (size > MAX_BSON_SIZE) {
    throw new MongoCommandError(
      code,
      `${what} is larger than ${MAX_BSON_SIZE} bytes (${size} bytes)`,
    );
  }
}

function sameKeys(a: IndexKey[], b: IndexKey[]): boolean {
  return a.length === b.length && a.every((k, i) => k.key === b[i].key);
}

/** Puts _id first (generating one when absent), as MongoDB stores documents. */
export function withIdFirst(doc: Doc): Doc {
  const id = doc._id === undefined ? new ObjectId() : doc._id;
  if (Array.isArray(id)) throw badValue("The '_id' value cannot be of type array");
  if (isRegex(id)) throw badValue("can't use a regex for _id");
  if (Object.keys(doc)[0] === '_id') return doc;
  const out: Doc = { _id: id };
  for (const key of Object.keys(doc)) if (key !== '_id') setField(out, key, doc[key]);
  return out;
}

/**
 * One logical change to the store, as the journal records it: the resulting state (a whole
 * document, an index specification), so that replaying it is deterministic.
 */
export type ChangeOp =
  | { op: 'i'; db: string; coll: string; doc: Doc }
  | { op: 'u'; db: string; coll: string; doc: Doc }
  | { op: 'd'; db: string; coll: string; id: unknown }
  | { op: 'cc'; db: string; coll: string; options: Doc }
  | { op: 'dc'; db: string; coll: string }
  | { op: 'dd'; db: string }
  | { op: 'ci'; db: string; coll: string; spec: IndexSpec }
  | { op: 'di'; db: string; coll: string; name: string };

/**
 * One collection: documents in insertion (natural) order keyed by _id, and secondary indexes
 * kept in step. Every method runs synchronously, so each command is atomic on its own.
 */
export class Collection {
  readonly uuid = new UUID();
  readonly docs = new Map<string, Doc>();
  readonly indexes: CollectionIndex[] = [];
  /** Told every change once it is made (the journal, when the store has a data file). */
  onChange: ((change: ChangeOp) => void) | undefined;

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Doc = {},
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...this.indexes.map((index) => index.spec)];
  }

  findIndex(name: string): CollectionIndex | undefined {
    return this.indexes.find((index) => index.name === name);
  }

  private keysOf(doc: Doc): IndexKey[][] {
    return this.indexes.map((index) => index.keysFor(doc));
  }

  private checkUnique(keys: IndexKey[][], selfId: string | undefined): void {
    this.indexes.forEach((index, i) => {
      const conflict = index.findConflict(keys[i], selfId);
      if (conflict) throw index.duplicateError(conflict);
    });
  }

  /** Inserts a document that already has its _id first; throws E11000 on a unique violation. */
  insert(doc: Doc): void {
    checkSize(doc, ErrorCode.Location10334, 'object to insert');
    const id = valueKey(doc._id);
    if (this.docs.has(id)) {
      throw duplicateKeyError(this.ns, '_id_', { _id: 1 }, ['_id'], [doc._id]);
    }
    const keys = this.keysOf(doc);
    this.checkUnique(keys, undefined);
    this.docs.set(id, doc);
    this.indexes.forEach((index, i) => {
      index.add(id, keys[i]);
    });
    this.onChange?.({ op: 'i', db: this.db, coll: this.name, doc });
  }

  /** Replaces a stored document by a new version with the same _id. */
  replace(before: Doc, after: Doc): void {
    checkSize(after, ErrorCode.Location17419, 'Resulting document after update');
    const id = valueKey(before._id);
    const keys = this.keysOf(after);
    this.checkUnique(keys, id);
    const oldKeys = this.keysOf(before);
    this.indexes.forEach((index, i) => {
      if (sameKeys(oldKeys[i], keys[i])) return;
      index.remove(id, oldKeys[i]);
      index.add(id, keys[i]);
    });
    this.docs.set(id, after);
    this.onChange?.({ op: 'u', db: this.db, coll: this.name, doc: after });
  }

  remove(doc: Doc): void {
    const id = valueKey(doc._id);
    const keys = this.keysOf(doc);
    this.indexes.forEach((index, i) => {
      index.remove(id, keys[i]);
    });
    this.docs.delete(id);
    this.onChange?.({ op: 'd', db: this.db, coll: this.name, id: doc._id });
  }

  getById(id: unknown): Doc | undefined {
    return this.docs.get(valueKey(id));
  }

  /** Builds a new index over the existing documents; nothing changes if a duplicate exists. */
  addIndex(spec: IndexSpec): void {
    const index = new CollectionIndex(spec, this.ns);
    for (const [id, doc] of this.docs) {
      const keys = index.keysFor(doc);
      const conflict = index.findConflict(keys, id);
      if (conflict) throw index.duplicateError(conflict);
      index.add(id, keys);
    }
    this.indexes.push(index);
    this.onChange?.({ op: 'ci', db: this.db, coll: this.name, spec });
  }

  dropIndex(name: string): void {
    const at = this.indexes.findIndex((index) => index.name === name);
    if (at < 0) return;
    this.indexes.splice(at, 1);
    this.onChange?.({ op: 'di', db: this.db, coll: this.name, name });
  }

  dataSize(): number {
    let size = 0;
    for (const doc of this.docs.values()) size += calculateObjectSize(doc);
    return size;
  }
}
