import { Aggregator } from 'mingo';
import { formatValue } from '../bson/format';
import { identical, valuesEqual } from '../bson/compare';
import { cloneValue, Doc, isPlainObject, isRegex, MISSING } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError } from '../errors';
import { compileFilter, Predicate } from './matcher';
import { restoreTypes, toJs } from './mingo-bridge';
import { getPath, isArrayIndex, splitPath } from './paths';
import { positionalIndex } from './positional';
import { renameField, UPDATE_OPERATORS } from './update-operators';
import { setDotted } from './update-paths';

export interface UpdateContext {
  /** The query that selected the document, for the positional `$`. */
  filter: Predicate;
  arrayFilters?: Doc[];
  /** True when the update builds an upserted document ($setOnInsert applies). */
  isInsert: boolean;
  now: Date;
}

interface Entry {
  op: string;
  path: string;
  arg: unknown;
}

const PIPELINE_STAGES = new Set([
  '$addFields',
  '$set',
  '$project',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
]);

export function isOperatorUpdate(update: unknown): boolean {
  return isPlainObject(update) && (Object.keys(update)[0]?.startsWith('$') ?? false);
}

/** Applies an update (operators, a replacement document or a pipeline) to a copy of doc. */
export function applyUpdate(doc: Doc, update: unknown, ctx: UpdateContext): Doc {
  let result: Doc;
  if (Array.isArray(update)) result = applyPipeline(doc, update);
  else if (!isPlainObject(update)) throw badValue('update must be an object or a pipeline');
  else if (isOperatorUpdate(update)) result = applyOperators(doc, update, ctx);
  else return applyReplacement(doc, update);
  if (doc._id !== undefined && !(result._id !== undefined && identical(doc._id, result._id))) {
    throw new MongoCommandError(
      ErrorCode.ImmutableField,
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return result;
}

export function applyReplacement(doc: Doc, replacement: Doc): Doc {
  for (const key of Object.keys(replacement)) {
    if (key.startsWith('$')) {
      throw new MongoCommandError(
        ErrorCode.FailedToParse,
        `Unknown modifier: ${key}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
  }
  if (
    replacement._id !== undefined &&
    doc._id !== undefined &&
    !valuesEqual(replacement._id, doc._id)
  ) {
    throw new MongoCommandError(
      ErrorCode.ImmutableField,
      `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(replacement._id)}`,
    );
  }
  const out: Doc = doc._id === undefined ? {} : { _id: doc._id };
  for (const [key, value] of Object.entries(cloneValue(replacement))) {
    if (key !== '_id' || doc._id === undefined) out[key] = value;
  }
  return out;
}

function parseEntries(update: Doc): Entry[] {
  const entries: Entry[] = [];
  for (const [op, fields] of Object.entries(update)) {
    if (
      !op.startsWith('$') ||
      (!(op in UPDATE_OPERATORS) && op !== '$rename' && op !== '$setOnInsert')
    ) {
      throw new MongoCommandError(
        ErrorCode.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(fields)) {
      throw new MongoCommandError(
        ErrorCode.FailedToParse,
        `Modifiers operate on fields but we found type ${typeof fields} instead. For example: {$mod: {<field>: ...}} not {${op}: ${formatValue(fields)}}`,
      );
    }
    for (const [path, arg] of Object.entries(fields)) {
      if (path === '' || path.split('.').includes('')) {
        throw new MongoCommandError(
          ErrorCode.EmptyFieldName,
          `The update path '${path}' contains an empty field name, which is not allowed.`,
        );
      }
      entries.push({ op, path, arg });
    }
  }
  return entries;
}

function checkConflicts(entries: Entry[]): void {
  const paths: string[] = [];
  for (const entry of entries) {
    paths.push(entry.path);
    if (entry.op === '$rename') {
      if (typeof entry.arg !== 'string' || entry.arg === '') {
        throw badValue(
          `The 'to' field for $rename must be a string: ${entry.path}: ${formatValue(entry.arg)}`,
        );
      }
      if (entry.arg === entry.path) {
        throw badValue(
          `The source and target field for $rename must differ: ${entry.path}: "${entry.arg}"`,
        );
      }
      paths.push(entry.arg);
    }
  }
  for (let i = 0; i < paths.length; i++) {
    for (let j = 0; j < paths.length; j++) {
      if (i === j) continue;
      const [a, b] = [paths[i], paths[j]];
      if (a === b || a.startsWith(`${b}.`)) {
        throw new MongoCommandError(
          ErrorCode.ConflictingUpdateOperators,
          `Updating the path '${a}' would create a conflict at '${b}'`,
        );
      }
    }
  }
}

function comparePaths(a: string, b: string): number {
  const [pa, pb] = [a.split('.'), b.split('.')];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    if (isArrayIndex(pa[i]) && isArrayIndex(pb[i])) return Number(pa[i]) - Number(pb[i]);
    return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}

function arrayFilterTests(arrayFilters: Doc[] | undefined): Map<string, Predicate> {
  const tests = new Map<string, Predicate>();
  for (const filter of arrayFilters ?? []) {
    if (!isPlainObject(filter)) throw badValue('arrayFilters must be an array of objects');
    const ids = new Set(Object.keys(filter).map((k) => k.split('.')[0]));
    if (ids.size !== 1) {
      throw new MongoCommandError(
        ErrorCode.FailedToParse,
        'Error parsing array filter :: caused by :: Expected a single top-level field name',
      );
    }
    const [id] = [...ids];
    if (tests.has(id)) {
      throw new MongoCommandError(
        ErrorCode.FailedToParse,
        `Found multiple array filters with the same top-level field name ${id}`,
      );
    }
    const predicate = compileFilter(filter);
    tests.set(id, (element) => predicate({ [id]: element }));
  }
  return tests;
}

/** Concrete paths for one update path: `$`, `$[]` and `$[id]` replaced by array indexes. */
function expandPath(
  original: Doc,
  work: Doc,
  path: string,
  ctx: UpdateContext,
  filters: Map<string, Predicate>,
): string[][] {
  let prefixes: string[][] = [[]];
  for (const part of splitPath(path)) {
    if (part === '$') {
      prefixes = prefixes.map((prefix) => {
        const index = positionalIndex(original, prefix, ctx.filter);
        if (index === undefined) {
          throw badValue('The positional operator did not find the match needed from the query.');
        }
        return [...prefix, String(index)];
      });
    } else if (part.startsWith('$[') && part.endsWith(']')) {
      const id = part.slice(2, -1);
      const test = id === '' ? () => true : filters.get(id);
      if (!test) throw badValue(`No array filter found for identifier '${id}' in path '${path}'`);
      prefixes = prefixes.flatMap((prefix) => {
        const array = getPath(work, prefix);
        if (ctx.isInsert && array === MISSING) return [];
        if (!Array.isArray(array)) {
          throw badValue(
            `The path '${prefix.join('.')}' must exist in the document in order to apply array updates.`,
          );
        }
        return array.flatMap((element, i) =>
          test(element as Doc) ? [[...prefix, String(i)]] : [],
        );
      });
    } else {
      prefixes = prefixes.map((prefix) => [...prefix, part]);
    }
  }
  return prefixes;
}

function applyOperators(doc: Doc, update: Doc, ctx: UpdateContext): Doc {
  const entries = parseEntries(update).sort((a, b) => comparePaths(a.path, b.path));
  checkConflicts(entries);
  const filters = arrayFilterTests(ctx.arrayFilters);
  const work = cloneValue(doc);
  for (const entry of entries) {
    if (entry.op === '$setOnInsert' && !ctx.isInsert) continue;
    for (const parts of expandPath(doc, work, entry.path, ctx, filters)) {
      if (entry.op === '$rename') {
        renameField(work, parts, splitPath(entry.arg as string), entry.path);
        continue;
      }
      const operator = UPDATE_OPERATORS[entry.op === '$setOnInsert' ? '$set' : entry.op];
      operator({ root: work, path: parts.join('.'), parts, now: ctx.now }, entry.arg);
    }
  }
  return work;
}

function applyPipeline(doc: Doc, pipeline: unknown[]): Doc {
  for (const stage of pipeline) {
    const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
    if (name === undefined || !PIPELINE_STAGES.has(name)) {
      throw new MongoCommandError(
        ErrorCode.InvalidOptions,
        `${String(name)} is not allowed to be used within an update`,
      );
    }
  }
  const [result] = new Aggregator(toJs(pipeline) as Doc[]).run<Doc>([toJs(doc)]);
  return restoreTypes(doc, result) as Doc;
}

/** The document an upsert starts from: the equality conditions of its query. */
export function upsertSeed(filter: Doc): Doc {
  const seed: Doc = {};
  const visit = (conditions: Doc): void => {
    for (const [key, value] of Object.entries(conditions)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const sub of value) if (isPlainObject(sub)) visit(sub);
      } else if (key.startsWith('$') || isRegex(value)) {
        continue;
      } else if (isPlainObject(value) && Object.keys(value)[0]?.startsWith('$')) {
        if (Object.hasOwn(value, '$eq')) setDotted(seed, splitPath(key), cloneValue(value.$eq));
      } else {
        setDotted(seed, splitPath(key), cloneValue(value));
      }
    }
  };
  visit(filter);
  return seed;
}
