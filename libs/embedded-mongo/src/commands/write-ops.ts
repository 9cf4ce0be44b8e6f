import { identical } from '../bson/compare';
import { Doc, isPlainObject } from '../bson/values';
import { ErrorCode, MongoCommandError } from '../errors';
import { applyReplacement, applyUpdate, isOperatorUpdate } from '../query/update';
import { upsertSeed } from '../query/update-seed';
import { MatcherOptions } from '../query/matcher';
import { Collection, withIdFirst } from '../storage/collection';
import { select } from '../storage/query-runner';

export interface UpdateSpec extends MatcherOptions {
  filter: Doc;
  update: unknown;
  multi: boolean;
  upsert: boolean;
  arrayFilters?: unknown;
  sort?: unknown;
}

export interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  /** The last document touched, before and after (findAndModify returns one of them). */
  before?: Doc;
  after?: Doc;
}

function upsertDocument(spec: UpdateSpec, now: Date): Doc {
  const replacement = !Array.isArray(spec.update) && !isOperatorUpdate(spec.update);
  const seed = upsertSeed(spec.filter, replacement);
  if (!replacement) {
    return withIdFirst(
      applyUpdate(seed, spec.update, {
        filter: spec.filter,
        arrayFilters: spec.arrayFilters,
        isInsert: true,
        now,
      }),
    );
  }
  return withIdFirst(applyReplacement(seed, spec.update as Doc));
}

/** update / findAndModify: applies one update statement to the matching document(s). */
export function updateMatching(collection: Collection, spec: UpdateSpec): UpdateOutcome {
  if (spec.multi && isPlainObject(spec.update) && !isOperatorUpdate(spec.update)) {
    throw new MongoCommandError(
      ErrorCode.FailedToParse,
      'multi update is not supported for replacement-style update',
    );
  }
  const now = new Date();
  const { docs } = select(collection, spec.filter, {
    sort: spec.sort,
    limit: spec.multi ? 0 : 1,
    variables: spec.variables,
  });
  if (docs.length === 0) {
    if (!spec.upsert) return { matched: 0, modified: 0 };
    const inserted = upsertDocument(spec, now);
    collection.insert(inserted);
    return { matched: 0, modified: 0, upsertedId: inserted._id, after: inserted };
  }
  const outcome: UpdateOutcome = { matched: 0, modified: 0 };
  for (const doc of docs) {
    const after = applyUpdate(doc, spec.update, {
      filter: spec.filter,
      arrayFilters: spec.arrayFilters,
      isInsert: false,
      now,
    });
    outcome.matched++;
    outcome.before = doc;
    outcome.after = after;
    if (identical(doc, after)) {
      outcome.after = doc;
      continue;
    }
    collection.replace(doc, after);
    outcome.modified++;
  }
  return outcome;
}

/** delete: removes the first (limit 1) or every (limit 0) matching document. */
export function deleteMatching(
  collection: Collection,
  filter: Doc,
  limitOne: boolean,
  options: MatcherOptions & { sort?: unknown } = {},
): Doc[] {
  const { docs } = select(collection, filter, { ...options, limit: limitOne ? 1 : 0 });
  for (const doc of docs) collection.remove(doc);
  return docs;
}
