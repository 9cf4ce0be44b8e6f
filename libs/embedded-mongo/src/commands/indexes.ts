import { Doc, isPlainObject } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError } from '../errors';
import { defaultIndexName } from '../storage/index-spec';
import { batchSizeOf, CommandHandler, docArg, stringArg } from './context';

const createIndexes: CommandHandler = (command, ctx) => {
  if (!Array.isArray(command.indexes) || command.indexes.length === 0) {
    throw badValue('Must specify at least one index to create');
  }
  const existed = ctx.engine.collection(ctx.db, String(command.createIndexes)) !== undefined;
  const collection = ctx.engine.ensureCollection(ctx.db, command.createIndexes);
  const before = collection.indexes.length + 1;
  const created = ctx.engine.createIndexes(collection, command.indexes);
  const reply: Doc = {
    numIndexesBefore: before,
    numIndexesAfter: before + created,
    createdCollectionAutomatically: !existed,
    ok: 1,
  };
  if (created === 0) reply.note = 'all indexes already exist';
  return reply;
};

const listIndexes: CommandHandler = (command, ctx) => {
  const name = stringArg(command.listIndexes, 'listIndexes');
  const collection = ctx.engine.collection(ctx.db, name);
  if (!collection) {
    throw new MongoCommandError(
      ErrorCode.NamespaceNotFound,
      `ns does not exist: ${ctx.db}.${name}`,
    );
  }
  const cursor = docArg(command.cursor, 'cursor');
  return ctx.cursors.start(`${ctx.db}.${name}`, collection.indexSpecs(), batchSizeOf(cursor));
};

const dropIndexes: CommandHandler = (command, ctx) => {
  const name = stringArg(command.dropIndexes ?? command.deleteIndexes, 'dropIndexes');
  const collection = ctx.engine.collection(ctx.db, name);
  if (!collection) {
    throw new MongoCommandError(ErrorCode.NamespaceNotFound, `ns not found ${ctx.db}.${name}`);
  }
  const nIndexesWas = collection.indexes.length + 1;
  const wanted = command.index;
  let names: string[];
  if (wanted === '*') {
    names = collection.indexes.map((index) => index.name);
  } else if (isPlainObject(wanted)) {
    const key = defaultIndexName(wanted);
    const matching = collection.indexSpecs().filter((spec) => defaultIndexName(spec.key) === key);
    if (matching.length > 1) {
      throw new MongoCommandError(
        ErrorCode.AmbiguousIndexKeyPattern,
        `${matching.length} indexes found for key: ${JSON.stringify(wanted)}, identify by name instead. Conflicting indexes: ${matching.map((m) => m.name).join(', ')}`,
      );
    }
    const found = matching.at(0);
    if (!found)
      throw new MongoCommandError(
        ErrorCode.IndexNotFound,
        `can't find index with key: ${JSON.stringify(wanted)}`,
      );
    names = [found.name];
  } else {
    names = Array.isArray(wanted)
      ? wanted.map((name: unknown) => stringArg(name, 'index'))
      : [stringArg(wanted, 'index')];
  }
  for (const indexName of names) {
    if (indexName === '_id_')
      throw new MongoCommandError(ErrorCode.InvalidOptions, 'cannot drop _id index');
    if (!collection.findIndex(indexName)) {
      throw new MongoCommandError(
        ErrorCode.IndexNotFound,
        `index not found with name [${indexName}]`,
      );
    }
  }
  for (const indexName of names) {
    collection.dropIndex(indexName);
    ctx.cursors.invalidate(
      (ns, hinted) => ns === collection.ns && hinted === indexName,
      `index '${indexName}' dropped`,
    );
  }
  ctx.engine.touch();
  return { nIndexesWas, ok: 1 };
};

export const indexCommands: Record<string, CommandHandler> = {
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
};
