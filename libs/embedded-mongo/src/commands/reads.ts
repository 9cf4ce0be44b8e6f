import { Long } from 'bson';
import { valueKey, compareValues } from '../bson/compare';
import { Doc, MISSING } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError, notSupported } from '../errors';
import { runPipeline } from '../query/aggregate';
import { collectLeaves, splitPath } from '../query/paths';
import { compileProjection } from '../query/projection';
import { select } from '../storage/query-runner';
import {
  batchSizeOf,
  boolArg,
  CommandContext,
  CommandHandler,
  docArg,
  numberArg,
  strictBoolArg,
  stringArg,
} from './context';
import { checkCollation, checkHint, hintedIndexName } from './options';

export interface FindParts {
  ns: string;
  docs: Doc[];
  selection: ReturnType<typeof select>;
  /** The index the hint named, if any (a cursor dies with it). */
  hintedIndex: string | undefined;
}

/** Runs the query part of a find command (shared with explain). */
export function runFind(command: Doc, ctx: CommandContext): FindParts {
  const name = stringArg(command.find, 'find');
  if (name === '')
    throw new MongoCommandError(ErrorCode.InvalidNamespace, 'Invalid namespace specified');
  if (boolArg(command.tailable) || boolArg(command.awaitData))
    throw notSupported('tailable cursors');
  const collection = ctx.engine.collection(ctx.db, name);
  checkHint(collection, command.hint);
  checkCollation(command.collation);
  const filter = docArg(command.filter, 'filter');
  const skip = numberArg(command.skip, 'skip', 0);
  const limit = numberArg(command.limit, 'limit', 0);
  if (skip < 0) throw badValue('skip value must be non-negative');
  if (limit < 0) throw badValue('limit value must be non-negative');
  if (command.sort !== undefined) docArg(command.sort, 'sort');
  if (command.projection !== undefined) docArg(command.projection, 'projection');
  const hintedIndex = hintedIndexName(collection, command.hint);
  const selection = select(collection, filter, {
    hintedIndex,
    sort: command.sort,
    skip,
    limit,
    variables: command.let as Doc | undefined,
  });
  const project = compileProjection(command.projection, filter);
  const docs = project ? selection.docs.map(project) : selection.docs;
  return { ns: `${ctx.db}.${name}`, docs, selection, hintedIndex };
}

const find: CommandHandler = (command, ctx) => {
  const { ns, docs, hintedIndex } = runFind(command, ctx);
  const batchSize = batchSizeOf({ batchSize: command.batchSize });
  const singleBatch = strictBoolArg(command.singleBatch, 'singleBatch');
  return ctx.cursors.start(ns, docs, batchSize, singleBatch, hintedIndex);
};

const getMore: CommandHandler = (command, ctx) => {
  const id = command.getMore;
  if (!(id instanceof Long)) throw badValue('getMore cursor id must be a long');
  const ns = `${ctx.db}.${stringArg(command.collection, 'collection')}`;
  return ctx.cursors.more(id, ns, numberArg(command.batchSize, 'batchSize', 0));
};

const killCursors: CommandHandler = (command, ctx) => {
  if (!Array.isArray(command.cursors)) throw badValue('cursors must be an array');
  return ctx.cursors.kill(command.cursors.filter((id): id is Long => id instanceof Long));
};

const count: CommandHandler = (command, ctx) => {
  const collection = ctx.engine.collection(ctx.db, stringArg(command.count, 'count'));
  checkHint(collection, command.hint);
  const skip = numberArg(command.skip, 'skip', 0);
  const limit = Math.abs(numberArg(command.limit, 'limit', 0));
  if (skip < 0) throw badValue('skip value is negative in count query');
  const query = docArg(command.query, 'query');
  const hintedIndex = hintedIndexName(collection, command.hint);
  if (Object.keys(query).length === 0 && !skip && !limit && hintedIndex === undefined) {
    return { n: collection?.docs.size ?? 0, ok: 1 };
  }
  return { n: select(collection, query, { skip, limit, hintedIndex }).docs.length, ok: 1 };
};

const distinct: CommandHandler = (command, ctx) => {
  const collection = ctx.engine.collection(ctx.db, stringArg(command.distinct, 'distinct'));
  const parts = splitPath(stringArg(command.key, 'key'));
  checkCollation(command.collation);
  const seen = new Map<string, unknown>();
  for (const doc of select(collection, docArg(command.query, 'query')).docs) {
    for (const leaf of collectLeaves(doc, parts)) {
      for (const value of Array.isArray(leaf) ? leaf : [leaf]) {
        if (value !== MISSING) seen.set(valueKey(value), value);
      }
    }
  }
  return { values: [...seen.values()].sort(compareValues), ok: 1 };
};

/** Runs an aggregate command's pipeline (shared with explain). */
export function runAggregate(command: Doc, ctx: CommandContext): { ns: string; docs: Doc[] } {
  if (!Array.isArray(command.pipeline))
    throw badValue("'pipeline' option must be specified as an array");
  checkCollation(command.collation);
  const name = typeof command.aggregate === 'string' ? command.aggregate : undefined;
  const collection = name === undefined ? undefined : ctx.engine.collection(ctx.db, name);
  checkHint(collection, command.hint);
  const docs = runPipeline(command.pipeline, {
    collection,
    resolve: (other) => [...(ctx.engine.collection(ctx.db, other)?.docs.values() ?? [])],
    variables: command.let as Doc | undefined,
    hintedIndex: hintedIndexName(collection, command.hint),
  });
  return { ns: `${ctx.db}.${name ?? '$cmd.aggregate'}`, docs };
}

const aggregate: CommandHandler = (command, ctx) => {
  if (boolArg(command.explain)) throw notSupported('aggregate explain');
  if (command.cursor === undefined) throw badValue("The 'cursor' option is required");
  const { ns, docs } = runAggregate(command, ctx);
  return ctx.cursors.start(ns, docs, batchSizeOf(docArg(command.cursor, 'cursor')));
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
};
