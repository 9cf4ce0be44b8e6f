import { Int32 } from 'bson';
import { Aggregator } from 'mingo';
import { cloneValue, Doc, isNumeric, isPlainObject, MISSING } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError, notSupported } from '../errors';
import { Collection } from '../storage/collection';
import { select } from '../storage/query-runner';
import { equalityLookup, isEqualityLookup } from './lookup';
import { compileFilter } from './matcher';
import { fromJs, restoreTypes, toJs } from './mingo-bridge';
import { compileBucket } from './bucket';
import { compileExpression } from './expression';
import { compileGroup } from './group';
import { splitPath } from './paths';
import { compileProjection } from './projection';
import { sortDocuments } from './sort';
import { setDotted } from './update-paths';
import { unwind } from './unwind';
import { toDouble } from '../bson/numbers';

const UNSUPPORTED = new Set([
  '$out',
  '$merge',
  '$changeStream',
  '$changeStreamSplitLargeEvent',
  '$geoNear',
  '$search',
  '$searchMeta',
  '$vectorSearch',
  '$listSessions',
  '$listLocalSessions',
  '$currentOp',
  '$collStats',
  '$indexStats',
  '$planCacheStats',
  '$listSearchIndexes',
]);

/** The aggregation stages MongoDB 7.0 knows; any other name is refused as it refuses it. */
const KNOWN_STAGES = new Set([
  ...UNSUPPORTED,
  '$addFields',
  '$bucket',
  '$bucketAuto',
  '$count',
  '$densify',
  '$documents',
  '$facet',
  '$fill',
  '$graphLookup',
  '$group',
  '$limit',
  '$listSampledQueries',
  '$lookup',
  '$match',
  '$project',
  '$queryStats',
  '$redact',
  '$replaceRoot',
  '$replaceWith',
  '$sample',
  '$set',
  '$setWindowFields',
  '$shardedDataDistribution',
  '$skip',
  '$sort',
  '$sortByCount',
  '$unionWith',
  '$unset',
  '$unwind',
]);

export interface PipelineSource {
  collection: Collection | undefined;
  /** Documents of another collection of the same database, for $lookup, $unionWith, $graphLookup. */
  resolve: (name: string) => Doc[];
  variables?: Doc;
  /** The index the command's hint names: the collection is read in its order. */
  hintedIndex?: string;
}

function stageName(stage: unknown): string {
  const keys = isPlainObject(stage) ? Object.keys(stage) : [];
  if (keys.length !== 1 || !keys[0].startsWith('$')) {
    throw badValue('A pipeline stage specification object must contain exactly one field.');
  }
  if (!KNOWN_STAGES.has(keys[0])) {
    throw new MongoCommandError(
      ErrorCode.Location40324,
      `Unrecognized pipeline stage name: '${keys[0]}'`,
    );
  }
  return keys[0];
}

/** `$addFields` / `$set`: each field set to its expression's value (missing leaves it out). */
function compileAddFields(arg: unknown, variables?: Doc): (docs: Doc[]) => Doc[] {
  if (!isPlainObject(arg))
    throw new MongoCommandError(
      ErrorCode.Location40272,
      '$addFields specification stage must be an object',
    );
  const fields = Object.entries(arg).map(([path, expr]) => ({
    parts: splitPath(path),
    evaluate: compileExpression(expr, variables),
  }));
  return (docs) =>
    docs.map((doc) => {
      const out = cloneValue(doc);
      for (const field of fields) {
        const value = field.evaluate(doc);
        if (value !== MISSING) setDotted(out, field.parts, value);
      }
      return out;
    });
}

/** The field name `$count` writes: a non-empty string, no leading $, no dot, no NUL (40156–40160). */
function checkCountField(arg: unknown): void {
  const fail = (code: number, message: string): never => {
    throw new MongoCommandError(code, message);
  };
  if (typeof arg !== 'string')
    fail(ErrorCode.Location40156, 'the count field must be a non-empty string');
  const name = arg as string;
  if (name === '') fail(ErrorCode.Location40157, 'the count field must be a non-empty string');
  if (name.startsWith('$'))
    fail(ErrorCode.Location40158, 'the count field cannot be a $-prefixed path');
  if (name.includes('\0'))
    fail(ErrorCode.Location40159, 'the count field cannot contain a null byte');
  if (name.includes('.')) fail(ErrorCode.Location40160, "the count field cannot contain '.'");
}

function nonNegativeInt(value: unknown, stage: string): number {
  const n = isNumeric(value) ? toDouble(value) : NaN;
  if (!Number.isInteger(n) || n < 0) throw badValue(`invalid argument to ${stage} stage`);
  return n;
}

/** Stages whose output documents correspond one to one to their input documents. */
const ONE_TO_ONE = new Set(['$project', '$addFields', '$set', '$unset']);

/** A stage the store runs on BSON values itself, or null to hand it to mingo. */
function nativeStage(
  name: string,
  arg: unknown,
  source: PipelineSource,
): ((docs: Doc[]) => Doc[]) | null {
  switch (name) {
    case '$match': {
      const predicate = compileFilter(arg, { variables: source.variables });
      return (docs) => docs.filter((doc) => predicate(doc));
    }
    case '$sort':
      return (docs) => sortDocuments(docs, arg);
    case '$skip': {
      const n = nonNegativeInt(arg, name);
      return (docs) => docs.slice(n);
    }
    case '$limit': {
      const n = nonNegativeInt(arg, name);
      if (n === 0)
        throw new MongoCommandError(ErrorCode.Location15958, 'the limit must be positive');
      return (docs) => docs.slice(0, n);
    }
    case '$count': {
      checkCountField(arg);
      return (docs) => (docs.length ? [{ [arg as string]: new Int32(docs.length) }] : []);
    }
    case '$bucket':
      return compileBucket(arg, source.variables);
    case '$sortByCount': {
      const group = compileGroup({ _id: arg, count: { $sum: 1 } }, source.variables);
      return group ? (docs) => sortDocuments(group(docs), { count: -1 }) : null;
    }
    case '$addFields':
    case '$set':
      return compileAddFields(arg, source.variables);
    case '$project': {
      const project = compileProjection(arg);
      return project ? (docs) => docs.map(project) : null;
    }
    case '$unset': {
      const paths = typeof arg === 'string' ? [arg] : arg;
      if (
        !Array.isArray(paths) ||
        paths.length === 0 ||
        !paths.every((p) => typeof p === 'string')
      ) {
        throw new MongoCommandError(
          ErrorCode.Location31002,
          '$unset specification must be a string or an array of strings',
        );
      }
      const project = compileProjection(Object.fromEntries(paths.map((p: string) => [p, 0])));
      return project ? (docs) => docs.map(project) : null;
    }
    case '$unwind':
      return (docs) => unwind(docs, arg);
    case '$lookup':
      return isEqualityLookup(arg)
        ? (docs) => equalityLookup(docs, arg, source.resolve(arg.from))
        : null;
    case '$group':
      return compileGroup(arg, source.variables);
    case '$facet': {
      if (!isPlainObject(arg)) throw badValue('the $facet specification must be an object');
      const facets = Object.entries(arg).map(([field, sub]): [string, unknown[]] => {
        if (!Array.isArray(sub))
          throw badValue(`arguments to $facet must be arrays, ${field} is not`);
        if (sub.some((stage) => isPlainObject(stage) && '$facet' in stage)) {
          throw new MongoCommandError(
            ErrorCode.Location40600,
            '$facet is not allowed to be used within a $facet stage',
          );
        }
        return [field, sub];
      });
      return (docs) => [
        Object.fromEntries(facets.map(([field, sub]) => [field, runStages(docs, sub, source)])),
      ];
    }
    default:
      return null;
  }
}

function runMingo(docs: Doc[], stages: unknown[], source: PipelineSource): Doc[] {
  const aggregator = new Aggregator(toJs(stages) as Doc[], {
    collectionResolver: (name: string) => source.resolve(name).map((d) => toJs(d) as Doc),
    variables: source.variables ? (toJs(source.variables) as Doc) : undefined,
  });
  const out = aggregator.run<Doc>(docs.map((d) => toJs(d) as Doc));
  const oneToOne = stages.every((stage) => ONE_TO_ONE.has(stageName(stage)));
  return out.map((d, i) => (oneToOne ? restoreTypes(docs[i], d) : fromJs(d)) as Doc);
}

/** Runs stages over documents: native ones on BSON values, runs of the others through mingo. */
function runStages(input: Doc[], pipeline: unknown[], source: PipelineSource): Doc[] {
  let docs = input;
  let pending: unknown[] = [];
  for (const stage of pipeline) {
    const name = stageName(stage);
    if (UNSUPPORTED.has(name)) throw notSupported(`the ${name} aggregation stage`);
    const native = nativeStage(name, (stage as Doc)[name], source);
    if (!native) {
      pending.push(stage);
      continue;
    }
    if (pending.length) docs = runMingo(docs, pending, source);
    pending = [];
    docs = native(docs);
  }
  return pending.length ? runMingo(docs, pending, source) : docs;
}

/** Runs an aggregation pipeline; a leading $match uses the collection's indexes. */
export function runPipeline(pipeline: unknown[], source: PipelineSource): Doc[] {
  const [first] = pipeline;
  const name = pipeline.length ? stageName(first) : undefined;
  if (name === '$documents') {
    const listed = (first as Doc).$documents;
    if (!Array.isArray(listed)) throw badValue('$documents needs an array of documents');
    return runStages(listed as Doc[], pipeline.slice(1), source);
  }
  if (name === '$match') {
    const filter = (first as Doc).$match;
    if (!isPlainObject(filter))
      throw badValue('the match filter must be an expression in an object');
    const { docs } = select(source.collection, filter, {
      variables: source.variables,
      hintedIndex: source.hintedIndex,
    });
    return runStages(docs, pipeline.slice(1), source);
  }
  const docs =
    source.hintedIndex === undefined
      ? [...(source.collection?.docs.values() ?? [])]
      : select(source.collection, {}, { hintedIndex: source.hintedIndex }).docs;
  return runStages(docs, pipeline, source);
}
