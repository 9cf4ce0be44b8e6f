import { Aggregator } from 'mingo';
import { formatValue } from '../bson/format';
import { identical, valuesEqual } from '../bson/compare';
import { cloneValue, Doc, isPlainObject, MISSING, setField } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError } from '../errors';
import { checkFiltersUsed, parseArrayFilters } from './array-filters';
import { Predicate } from './matcher';
import { restoreTypes, toJs } from './mingo-bridge';
import { getPath, isArrayIndex, splitPath } from './paths';
import { matchedPosition } from './positional';
import { renameField, UPDATE_OPERATORS } from './update-operators';

export interface UpdateContext {
  /** The query that selected the document, for the positional `$`. */
  filter: Doc;
  arrayFilters?: unknown;
  /** True when the update builds an upserted document ($setOnInsert applies). */
  isInsert: boolean;
  now: Date;
}

interface Entry {
  op: string;
  path: string;
  arg: unknown;
}

const POSITIONAL = /^\$(\[[^\]]*\])?$/;

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
    if (key !== '_id' || doc._id === undefined) setField(out, key, value);
  }
  return out;
}

function parseEntries(update: Doc): Entry[] {
  const entries: Entry[] = [];
  for (const [op, fields] of Object.entries(update)) {
    if (!Object.hasOwn(UPDATE_OPERATORS, op) && op !== '$rename' && op !== '$setOnInsert') {
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
      if (op === '$rename') checkRename(path, arg);
      entries.push({ op, path, arg });
    }
  }
  return entries;
}

function checkRename(from: string, to: unknown): void {
  if (typeof to !== 'string' || to === '') {
    throw badValue(`The 'to' field for $rename must be a string: ${from}: ${formatValue(to)}`);
  }
  if (to === from) {
    throw badValue(`The source and target field for $rename must differ: ${from}: "${to}"`);
  }
  for (const [which, path] of [
    ['source', from],
    ['destination', to],
  ]) {
    if (path.split('.').some((part) => part.startsWith('$'))) {
      throw badValue(`The ${which} field for $rename may not be dynamic: ${path}`);
    }
  }
}

/** The paths an entry writes: its own, and the target of a $rename. */
function targets(entry: Entry): string[] {
  return entry.op === '$rename' ? [entry.path, entry.arg as string] : [entry.path];
}

function conflictError(a: string, b: string): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.ConflictingUpdateOperators,
    `Updating the path '${a}' would create a conflict at '${b}'`,
  );
}

/**
 * Two paths conflict when one is a prefix of the other. A positional part stands for any
 * element, so it conflicts with a literal part at its level; two different positional parts
 * are decided on the concrete paths (see checkConcreteConflicts).
 */
function checkConflicts(paths: string[]): void {
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const [a, b] = [paths[i].split('.'), paths[j].split('.')];
      let deferred = false;
      let same = true;
      for (let k = 0; k < Math.min(a.length, b.length) && same; k++) {
        if (a[k] === b[k]) continue;
        const [pa, pb] = [POSITIONAL.test(a[k]), POSITIONAL.test(b[k])];
        if (pa && pb && a[k] !== '$' && b[k] !== '$') deferred = true;
        else same = pa || pb;
      }
      if (same && !deferred) throw conflictError(paths[j], paths[i]);
    }
  }
}

function checkConcreteConflicts(expanded: string[][][]): void {
  const owners: [string, number][] = expanded.flatMap((paths, owner) =>
    paths.map((parts): [string, number] => [parts.join('.'), owner]),
  );
  for (const [a, ownerA] of owners) {
    for (const [b, ownerB] of owners) {
      if (ownerA !== ownerB && (a === b || a.startsWith(`${b}.`))) throw conflictError(a, b);
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

/** Concrete paths for one update path: `$`, `$[]` and `$[id]` replaced by array indexes. */
function expandPath(
  doc: Doc,
  path: string,
  ctx: UpdateContext,
  filters: Map<string, Predicate>,
  position: () => number | undefined,
): string[][] {
  let prefixes: string[][] = [[]];
  for (const part of splitPath(path)) {
    if (part === '$') {
      const index = position();
      if (index === undefined) {
        throw badValue('The positional operator did not find the match needed from the query.');
      }
      prefixes = prefixes.map((prefix) => [...prefix, String(index)]);
    } else if (part.startsWith('$[') && part.endsWith(']')) {
      const id = part.slice(2, -1);
      const test = id === '' ? () => true : filters.get(id);
      if (!test) throw badValue(`No array filter found for identifier '${id}' in path '${path}'`);
      prefixes = prefixes.flatMap((prefix) => {
        const array = getPath(doc, prefix);
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
  checkConflicts(entries.flatMap(targets));
  const filters = parseArrayFilters(ctx.arrayFilters);
  checkFiltersUsed(entries.flatMap(targets), filters, formatValue(update));
  let position: number | undefined | null = null;
  const matched = (): number | undefined =>
    position === null ? (position = matchedPosition(doc, ctx.filter)) : position;
  const active = entries.filter((entry) => entry.op !== '$setOnInsert' || ctx.isInsert);
  const expanded = active.map((entry) => expandPath(doc, entry.path, ctx, filters, matched));
  checkConcreteConflicts(expanded);
  const work = cloneValue(doc);
  active.forEach((entry, i) => {
    for (const parts of expanded[i]) {
      if (entry.op === '$rename') {
        renameField(work, parts, splitPath(entry.arg as string), entry.path);
        continue;
      }
      const operator = UPDATE_OPERATORS[entry.op === '$setOnInsert' ? '$set' : entry.op];
      operator({ root: work, path: parts.join('.'), parts, now: ctx.now }, entry.arg);
    }
  });
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
