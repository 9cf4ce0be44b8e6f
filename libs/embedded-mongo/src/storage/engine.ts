import { identical } from '../bson/compare';
import { Doc, TypeOrder, typeOrder } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError } from '../errors';
import { ChangeOp, Collection } from './collection';
import { normalizeIndexSpec, sameOptions } from './index-spec';

const BAD_DB_CHARS = /[/\\. "$*<>:|?\0]/;

export function validateDbName(db: string): void {
  if (db === '' || db.length >= 64 || BAD_DB_CHARS.test(db)) {
    throw new MongoCommandError(ErrorCode.InvalidNamespace, `Invalid database name: '${db}'`);
  }
}

function validateCollectionName(db: string, name: unknown): asserts name is string {
  if (
    typeof name !== 'string' ||
    name === '' ||
    name.includes('$') ||
    name.includes('\0') ||
    name.startsWith('.')
  ) {
    throw new MongoCommandError(
      ErrorCode.InvalidNamespace,
      `Invalid collection name: ${String(name)}`,
    );
  }
  if (`${db}.${name}`.length > 255) {
    throw new MongoCommandError(
      ErrorCode.InvalidNamespace,
      `Fully qualified namespace is too long: ${db}.${name}`,
    );
  }
}

/** All databases of the store, and the operations that span collections. */
export class Engine {
  private readonly dbs = new Map<string, Map<string, Collection>>();
  /** Increases on every change; persistence snapshots when it moved. */
  version = 0;
  /** Told every change once it is made (the journal, when the store has a data file). */
  onChange: ((change: ChangeOp) => void) | undefined;

  touch(): void {
    this.version++;
  }

  databaseNames(): string[] {
    return [...this.dbs.keys()];
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  allCollections(): Collection[] {
    return [...this.dbs.values()].flatMap((colls) => [...colls.values()]);
  }

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** The collection, created implicitly as a write to it does in MongoDB. */
  ensureCollection(db: string, name: unknown): Collection {
    validateDbName(db);
    validateCollectionName(db, name);
    const existing = this.collection(db, name);
    if (existing) return existing;
    return this.createCollection(db, name, {});
  }

  createCollection(db: string, name: unknown, options: Doc): Collection {
    validateDbName(db);
    validateCollectionName(db, name);
    if (this.collection(db, name)) {
      throw new MongoCommandError(
        ErrorCode.NamespaceExists,
        `Collection ${db}.${name} already exists.`,
      );
    }
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map<string, Collection>()));
    const collection = new Collection(db, name, options);
    collection.onChange = (change) => this.onChange?.(change);
    colls.set(name, collection);
    this.touch();
    this.onChange?.({ op: 'cc', db, coll: name, options });
    return collection;
  }

  dropCollection(db: string, name: string): boolean {
    const dropped = this.dbs.get(db)?.delete(name) ?? false;
    if (this.dbs.get(db)?.size === 0) this.dbs.delete(db);
    if (dropped) {
      this.touch();
      this.onChange?.({ op: 'dc', db, coll: name });
    }
    return dropped;
  }

  dropDatabase(db: string): void {
    if (!this.dbs.delete(db)) return;
    this.touch();
    this.onChange?.({ op: 'dd', db });
  }

  renameCollection(from: [string, string], to: [string, string], dropTarget: boolean): void {
    if (from[0] === to[0] && from[1] === to[1]) {
      throw new MongoCommandError(
        ErrorCode.IllegalOperation,
        "Can't rename a collection to itself",
      );
    }
    const source = this.collection(...from);
    if (!source)
      throw new MongoCommandError(
        ErrorCode.NamespaceNotFound,
        `Source collection ${from.join('.')} does not exist`,
      );
    if (this.collection(...to)) {
      if (!dropTarget)
        throw new MongoCommandError(ErrorCode.NamespaceExists, `Target namespace exists`);
      this.dropCollection(...to);
    }
    const target = this.createCollection(to[0], to[1], source.options);
    for (const spec of source.indexSpecs().slice(1)) target.addIndex(spec);
    for (const doc of source.docs.values()) target.insert(doc);
    this.dropCollection(...from);
  }

  /** createIndexes: adds the missing ones, refuses conflicting definitions (85/86). */
  createIndexes(collection: Collection, rawSpecs: unknown[]): number {
    let created = 0;
    for (const raw of rawSpecs) {
      const spec = normalizeIndexSpec(raw);
      if (spec.name === '_id_' || Object.keys(spec.key).join() === '_id') {
        if (spec.unique === false) throw badValue('The _id index is always unique');
        continue;
      }
      const byName = collection.findIndex(spec.name);
      if (byName) {
        if (identical(byName.spec.key, spec.key) && sameOptions(byName.spec, spec)) continue;
        throw new MongoCommandError(
          ErrorCode.IndexKeySpecsConflict,
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName.spec)}`,
        );
      }
      const byKey = collection.indexes.find(
        (index) =>
          identical(index.spec.key, spec.key) &&
          identical(index.spec.partialFilterExpression, spec.partialFilterExpression),
      );
      if (byKey) {
        throw new MongoCommandError(
          ErrorCode.IndexOptionsConflict,
          sameOptions(byKey.spec, spec)
            ? `Index already exists with a different name: ${byKey.name}`
            : `An equivalent index already exists with a different name and options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byKey.spec)}`,
        );
      }
      collection.addIndex(spec);
      created++;
    }
    if (created > 0) this.touch();
    return created;
  }

  /**
   * Deletes documents whose TTL-indexed date (any of them, for arrays: the earliest decides) is
   * older than expireAfterSeconds, found by a range scan of the index.
   */
  expire(now: number): number {
    let removed = 0;
    for (const collection of this.allCollections()) {
      for (const index of collection.indexes) {
        const seconds = index.spec.expireAfterSeconds;
        if (typeof seconds !== 'number') continue;
        const cutoff = now - seconds * 1000;
        const ids = index.scanFirstField(
          (v) => typeOrder(v) >= TypeOrder.date,
          (v) => v instanceof Date && v.getTime() <= cutoff,
        );
        for (const id of ids) {
          const doc = collection.docs.get(id);
          if (doc) {
            collection.remove(doc);
            removed++;
          }
        }
      }
    }
    if (removed > 0) this.touch();
    return removed;
  }
}
