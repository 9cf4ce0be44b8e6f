import { Doc, isPlainObject } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError } from '../errors';
import { compileProjection, hasPositional } from '../query/projection';
import { withIdFirst } from '../storage/collection';
import { boolArg, CommandContext, CommandHandler, docArg, numberArg } from './context';
import { checkHint, checkCollation } from './options';
import { deleteMatching, updateMatching } from './write-ops';

const MAX_WRITE_BATCH_SIZE = 100_000;

function statements(command: Doc, field: string): unknown[] {
  const list = command[field];
  if (!Array.isArray(list)) throw badValue(`Field '${field}' must be an array`);
  if (list.length < 1 || list.length > MAX_WRITE_BATCH_SIZE) {
    throw new MongoCommandError(
      ErrorCode.InvalidLength,
      `Write batch sizes must be between 1 and ${MAX_WRITE_BATCH_SIZE}. Got ${list.length} operations.`,
    );
  }
  return list;
}

/**
 * Runs each statement of a write command; a MongoDB error becomes a writeError at its index.
 * Ordered writes stop at the first error, unordered ones go on.
 */
function runStatements(
  command: Doc,
  field: string,
  ctx: CommandContext,
  run: (statement: unknown, index: number) => void,
): Doc {
  const ordered = command.ordered === undefined || boolArg(command.ordered);
  const writeErrors: Doc[] = [];
  const list = statements(command, field);
  for (let index = 0; index < list.length; index++) {
    try {
      run(list[index], index);
    } catch (error) {
      if (!(error instanceof MongoCommandError)) throw error;
      writeErrors.push({ index, code: error.code, errmsg: error.message, ...error.extra });
      if (ordered) break;
    }
  }
  ctx.engine.touch();
  return writeErrors.length ? { writeErrors } : {};
}

const insert: CommandHandler = (command, ctx) => {
  statements(command, 'documents');
  const existed = ctx.engine.collection(ctx.db, String(command.insert)) !== undefined;
  const collection = ctx.engine.ensureCollection(ctx.db, command.insert);
  let n = 0;
  const errors = runStatements(command, 'documents', ctx, (doc) => {
    if (!isPlainObject(doc)) throw badValue('documents must be objects');
    collection.insert(withIdFirst(doc));
    n++;
  });
  if (!existed && n === 0) ctx.engine.dropCollection(ctx.db, collection.name);
  return { n, ...errors, ok: 1 };
};

const update: CommandHandler = (command, ctx) => {
  statements(command, 'updates');
  const collection = ctx.engine.ensureCollection(ctx.db, command.update);
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const errors = runStatements(command, 'updates', ctx, (raw, index) => {
    const statement = docArg(raw, 'updates');
    checkHint(collection, statement.hint);
    checkCollation(statement.collation);
    const outcome = updateMatching(collection, {
      filter: docArg(statement.q, 'q'),
      update: statement.u,
      multi: boolArg(statement.multi),
      upsert: boolArg(statement.upsert),
      arrayFilters: statement.arrayFilters,
      variables: command.let as Doc | undefined,
    });
    if (outcome.upsertedId !== undefined) {
      upserted.push({ index, _id: outcome.upsertedId });
      n++;
    }
    n += outcome.matched;
    nModified += outcome.modified;
  });
  return { n, nModified, ...(upserted.length ? { upserted } : {}), ...errors, ok: 1 };
};

const remove: CommandHandler = (command, ctx) => {
  const collection = ctx.engine.collection(ctx.db, String(command.delete));
  let n = 0;
  const errors = runStatements(command, 'deletes', ctx, (raw) => {
    const statement = docArg(raw, 'deletes');
    const limit = numberArg(statement.limit, 'limit', 0);
    if (limit !== 0 && limit !== 1)
      throw badValue('The limit field in delete objects must be 0 or 1');
    checkCollation(statement.collation);
    if (!collection) return;
    checkHint(collection, statement.hint);
    n += deleteMatching(collection, docArg(statement.q, 'q'), limit === 1, {
      variables: command.let as Doc | undefined,
    }).length;
  });
  return { n, ...errors, ok: 1 };
};

function checkFindAndModifyOptions(command: Doc, removing: boolean): void {
  const refuse = (message: string): never => {
    throw new MongoCommandError(ErrorCode.FailedToParse, message);
  };
  if (removing && command.update !== undefined)
    refuse('Cannot specify both an update and remove=true');
  if (removing && boolArg(command.upsert))
    refuse('Cannot specify both upsert=true and remove=true');
  if (removing && boolArg(command.new))
    refuse(
      "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document",
    );
  if (!removing && command.update === undefined)
    refuse('Either an update or remove=true must be specified');
  if (Array.isArray(command.update) && command.arrayFilters !== undefined) {
    refuse('Cannot specify arrayFilters and a pipeline update');
  }
  if (!removing && boolArg(command.new) && hasPositional(command.fields)) {
    throw badValue('Cannot use a positional projection and return the new document');
  }
}

const findAndModify: CommandHandler = (command, ctx) => {
  const name = command.findAndModify ?? command.findandmodify;
  const query = docArg(command.query, 'query');
  const removing = boolArg(command.remove);
  checkFindAndModifyOptions(command, removing);
  checkHint(ctx.engine.collection(ctx.db, String(name)), command.hint);
  checkCollation(command.collation);
  if (command.sort !== undefined) docArg(command.sort, 'sort');
  if (command.fields !== undefined) docArg(command.fields, 'fields');
  const project = compileProjection(command.fields, query);
  const shape = (doc: Doc | undefined): Doc | null => (doc ? (project ? project(doc) : doc) : null);
  if (removing) {
    const collection = ctx.engine.collection(ctx.db, String(name));
    const removed = collection
      ? deleteMatching(collection, query, true, { sort: command.sort })
      : [];
    const doc = removed.at(0);
    ctx.engine.touch();
    return { lastErrorObject: { n: doc ? 1 : 0 }, value: shape(doc), ok: 1 };
  }
  const collection = ctx.engine.ensureCollection(ctx.db, name);
  const outcome = updateMatching(collection, {
    filter: query,
    update: command.update,
    multi: false,
    upsert: boolArg(command.upsert),
    arrayFilters: command.arrayFilters,
    sort: command.sort,
    variables: command.let as Doc | undefined,
  });
  ctx.engine.touch();
  const lastErrorObject: Doc = {
    n: outcome.matched || (outcome.upsertedId !== undefined ? 1 : 0),
    updatedExisting: outcome.matched > 0,
  };
  if (outcome.upsertedId !== undefined) lastErrorObject.upserted = outcome.upsertedId;
  const value = boolArg(command.new) ? outcome.after : outcome.before;
  return { lastErrorObject, value: shape(value), ok: 1 };
};

export const crudCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
  findAndModify,
  findandmodify: findAndModify,
};
