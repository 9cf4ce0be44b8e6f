import { Binary } from 'bson';
import { identical } from '../bson/compare';
import { Doc, isPlainObject } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError, notSupported } from '../errors';
import { compileFilter } from '../query/matcher';
import { Collection } from '../storage/collection';
import { isGenericField } from './known-fields';
import { batchSizeOf, boolArg, CommandHandler, docArg, strictBoolArg, stringArg } from './context';
import { checkCollation } from './options';

const UNSUPPORTED_CREATE = [
  'capped',
  'timeseries',
  'viewOn',
  'clusteredIndex',
  'validator',
  'changeStreamPreAndPostImages',
  'encryptedFields',
];

/** The options of the collection being created: the command's own fields but its name. */
function creationOptions(command: Doc): Doc {
  return Object.fromEntries(
    Object.entries(command).filter(([key]) => key !== 'create' && !isGenericField(key)),
  );
}

/** `idIndex` may only restate the _id index: `{key: {_id: 1}, name: '_id_'}`. */
function checkIdIndex(idIndex: unknown): void {
  if (idIndex === undefined) return;
  if (!isPlainObject(idIndex)) {
    throw new MongoCommandError(ErrorCode.TypeMismatch, "'idIndex' must be an object");
  }
  if (Object.keys(idIndex).length === 0) {
    throw new MongoCommandError(ErrorCode.FailedToParse, "'idIndex' must have a key pattern");
  }
  const key = isPlainObject(idIndex.key) ? Object.keys(idIndex.key) : [];
  if (key.join() !== '_id') throw badValue('The _id index must have the key pattern { _id: 1 }');
}

function collectionInfo(collection: Collection): Doc {
  return {
    name: collection.name,
    type: 'collection',
    options: collection.options,
    info: {
      readOnly: false,
      uuid: new Binary(Buffer.from(collection.uuid.toHexString(false), 'hex'), 4),
    },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  };
}

function splitNamespace(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  if (dot <= 0) throw badValue(`Invalid namespace specified '${ns}'`);
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

function stats(collections: Collection[]): { count: number; size: number; indexes: number } {
  let count = 0;
  let size = 0;
  let indexes = 0;
  for (const collection of collections) {
    count += collection.docs.size;
    size += collection.dataSize();
    indexes += collection.indexes.length + 1;
  }
  return { count, size, indexes };
}

export const databaseCommands: Record<string, CommandHandler> = {
  listDatabases: (command, ctx) => {
    const names = ctx.engine.databaseNames();
    const filter = compileFilter(docArg(command.filter, 'filter'));
    const databases = names
      .map((name) => {
        const size = stats(ctx.engine.collections(name)).size;
        return { name, sizeOnDisk: size, empty: size === 0 };
      })
      .filter((db) => filter(db));
    if (boolArg(command.nameOnly))
      return { databases: databases.map(({ name }) => ({ name })), ok: 1 };
    return {
      databases,
      totalSize: databases.reduce((sum, db) => sum + db.sizeOnDisk, 0),
      totalSizeMb: 0,
      ok: 1,
    };
  },

  dropDatabase: (_command, ctx) => {
    ctx.engine.dropDatabase(ctx.db);
    ctx.cursors.invalidate((ns) => ns.startsWith(`${ctx.db}.`), 'collection dropped');
    return { dropped: ctx.db, ok: 1 };
  },

  create: (command, ctx) => {
    checkIdIndex(command.idIndex);
    const options = creationOptions(command);
    const existing = ctx.engine.collection(ctx.db, String(command.create));
    if (existing && identical(existing.options, options)) return { ok: 1 };
    if (!existing) {
      for (const option of UNSUPPORTED_CREATE) {
        if (options[option] !== undefined && options[option] !== false) {
          throw notSupported(`create option '${option}'`);
        }
      }
      checkCollation(options.collation);
    }
    ctx.engine.createCollection(ctx.db, command.create, options);
    return { ok: 1 };
  },

  drop: (command, ctx) => {
    const name = stringArg(command.drop, 'drop');
    const collection = ctx.engine.collection(ctx.db, name);
    const nIndexesWas = collection ? collection.indexes.length + 1 : 0;
    ctx.engine.dropCollection(ctx.db, name);
    ctx.cursors.invalidate((ns) => ns === `${ctx.db}.${name}`, 'collection dropped');
    return { nIndexesWas, ns: `${ctx.db}.${name}`, ok: 1 };
  },

  listCollections: (command, ctx) => {
    strictBoolArg(command.includePendingDrops, 'includePendingDrops');
    const filter = compileFilter(docArg(command.filter, 'filter'));
    let infos = ctx.engine
      .collections(ctx.db)
      .map(collectionInfo)
      .filter((info) => filter(info));
    if (boolArg(command.nameOnly)) infos = infos.map(({ name, type }) => ({ name, type }));
    const cursor = docArg(command.cursor, 'cursor');
    return ctx.cursors.start(`${ctx.db}.$cmd.listCollections`, infos, batchSizeOf(cursor));
  },

  renameCollection: (command, ctx) => {
    const from = splitNamespace(stringArg(command.renameCollection, 'renameCollection'));
    const to = splitNamespace(stringArg(command.to, 'to'));
    ctx.engine.renameCollection(from, to, boolArg(command.dropTarget));
    ctx.cursors.invalidate((ns) => ns === from.join('.'), 'collection renamed');
    ctx.cursors.invalidate((ns) => ns === to.join('.'), 'collection dropped');
    return { ok: 1 };
  },

  collStats: (command, ctx) => {
    const name = stringArg(command.collStats, 'collStats');
    const collection = ctx.engine.collection(ctx.db, name);
    const { count, size, indexes } = stats(collection ? [collection] : []);
    const indexSizes: Doc = {};
    for (const spec of collection?.indexSpecs() ?? []) indexSizes[spec.name] = 0;
    return {
      ns: `${ctx.db}.${name}`,
      count,
      size,
      avgObjSize: count ? Math.round(size / count) : 0,
      storageSize: size,
      nindexes: indexes,
      totalIndexSize: 0,
      indexSizes,
      ok: 1,
    };
  },

  dbStats: (_command, ctx) => {
    const collections = ctx.engine.collections(ctx.db);
    const { count, size, indexes } = stats(collections);
    return {
      db: ctx.db,
      collections: collections.length,
      views: 0,
      objects: count,
      avgObjSize: count ? Math.round(size / count) : 0,
      dataSize: size,
      storageSize: size,
      indexes,
      indexSize: 0,
      ok: 1,
    };
  },
};
