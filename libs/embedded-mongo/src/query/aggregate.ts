import { Aggregator } from 'mingo';
import { Doc, isPlainObject } from '../bson/values';
import { badValue, notSupported } from '../errors';
import { Collection } from '../storage/collection';
import { select } from '../storage/query-runner';
import { equalityLookup, isEqualityLookup, LookupSpec } from './lookup';
import { compileFilter } from './matcher';
import { fromJs, toJs } from './mingo-bridge';
import { sortDocuments } from './sort';
import { unwind } from './unwind';
import { toDouble } from '../bson/numbers';
import { isNumeric } from '../bson/values';

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

export interface PipelineSource {
  collection: Collection | undefined;
  /** Documents of another collection of the same database, for $lookup, $unionWith, $graphLookup. */
  resolve: (name: string) => Doc[];
  variables?: Doc;
}

function stageName(stage: unknown): string {
  const keys = isPlainObject(stage) ? Object.keys(stage) : [];
  if (keys.length !== 1 || !keys[0].startsWith('$')) {
    throw badValue('A pipeline stage specification object must contain exactly one field.');
  }
  return keys[0];
}

function nonNegativeInt(value: unknown, stage: string): number {
  const n = isNumeric(value) ? toDouble(value) : NaN;
  if (!Number.isInteger(n) || n < 0) throw badValue(`invalid argument to ${stage} stage`);
  return n;
}

/** Native stages keep MongoDB's BSON semantics; the others are delegated to mingo. */
function runNative(name: string, arg: unknown, docs: Doc[], source: PipelineSource): Doc[] {
  switch (name) {
    case '$unwind':
      return unwind(docs, arg);
    case '$lookup': {
      const spec = arg as LookupSpec;
      return equalityLookup(docs, spec, source.resolve(spec.from));
    }
    case '$match': {
      const predicate = compileFilter(arg, { variables: source.variables });
      return docs.filter((doc) => predicate(doc));
    }
    case '$sort':
      return sortDocuments(docs, arg);
    case '$skip':
      return docs.slice(nonNegativeInt(arg, name));
    case '$limit':
      return docs.slice(0, nonNegativeInt(arg, name));
    default: {
      if (typeof arg !== 'string' || arg === '' || arg.startsWith('$') || arg.includes('.')) {
        throw badValue(
          'the count field must be a non-empty string, not start with $ and not contain .',
        );
      }
      return docs.length ? [{ [arg]: docs.length }] : [];
    }
  }
}

const NATIVE = new Set(['$match', '$sort', '$skip', '$limit', '$count', '$unwind']);

function isNative(stage: Doc, name: string): boolean {
  return NATIVE.has(name) || (name === '$lookup' && isEqualityLookup(stage.$lookup));
}

/** Runs an aggregation pipeline; a leading $match uses the collection's indexes. */
export function runPipeline(pipeline: unknown[], source: PipelineSource): Doc[] {
  const names = pipeline.map(stageName);
  for (const name of names)
    if (UNSUPPORTED.has(name)) throw notSupported(`the ${name} aggregation stage`);
  let start = 0;
  let docs: Doc[];
  if (names[0] === '$documents') {
    const listed = (pipeline[0] as Doc).$documents;
    if (!Array.isArray(listed)) throw badValue('$documents needs an array of documents');
    docs = listed as Doc[];
    start = 1;
  } else if (names[0] === '$match') {
    docs = select(source.collection, (pipeline[0] as Doc).$match as Doc, {
      variables: source.variables,
    }).docs;
    start = 1;
  } else {
    docs = [...(source.collection?.docs.values() ?? [])];
  }
  let i = start;
  while (i < pipeline.length) {
    if (isNative(pipeline[i] as Doc, names[i])) {
      docs = runNative(names[i], (pipeline[i] as Doc)[names[i]], docs, source);
      i++;
      continue;
    }
    let end = i;
    while (end < pipeline.length && !isNative(pipeline[end] as Doc, names[end])) end++;
    const aggregator = new Aggregator(toJs(pipeline.slice(i, end)) as Doc[], {
      collectionResolver: (name: string) => source.resolve(name).map((d) => toJs(d) as Doc),
      variables: source.variables ? (toJs(source.variables) as Doc) : undefined,
    });
    docs = aggregator.run(docs.map((d) => toJs(d) as Doc)).map((d) => fromJs(d) as Doc);
    i = end;
  }
  return docs;
}
