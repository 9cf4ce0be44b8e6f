import { Doc } from '../bson/values';
import { compileFilter, MatcherOptions, Predicate } from '../query/matcher';
import { sortDocuments } from '../query/sort';
import { Collection } from './collection';
import { Plan, planQuery } from './planner';

export interface SelectOptions extends MatcherOptions {
  /** An index name a hint named: the query reads only the documents that index holds. */
  hintedIndex?: string;
  sort?: unknown;
  skip?: number;
  /** 0 or undefined: no limit. */
  limit?: number;
}

export interface Selection {
  docs: Doc[];
  plan: Plan;
  predicate: Predicate;
  docsExamined: number;
}

/** The documents of a collection matching a filter, sorted, skipped and limited. */
export function select(
  collection: Collection | undefined,
  filter: Doc,
  options: SelectOptions = {},
): Selection {
  const predicate = compileFilter(filter, options);
  if (!collection) {
    return {
      docs: [],
      plan: { stage: 'COLLSCAN', candidates: [], keysExamined: 0 },
      predicate,
      docsExamined: 0,
    };
  }
  const plan = planQuery(collection, filter, options.hintedIndex);
  const sorted = options.sort !== undefined && options.sort !== null;
  const wanted = !sorted && options.limit ? (options.skip ?? 0) + options.limit : Infinity;
  let docs: Doc[] = [];
  let docsExamined = 0;
  for (const doc of plan.candidates) {
    docsExamined++;
    if (predicate(doc)) docs.push(doc);
    if (docs.length >= wanted) break;
  }
  if (sorted) docs = sortDocuments(docs, options.sort);
  const skip = options.skip ?? 0;
  if (skip > 0 || options.limit) {
    docs = docs.slice(skip, options.limit ? skip + options.limit : undefined);
  }
  return { docs, plan, predicate, docsExamined };
}
