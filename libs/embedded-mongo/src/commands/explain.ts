import { hostname } from 'node:os';
import { Doc, isPlainObject } from '../bson/values';
import { badValue } from '../errors';
import { planQuery } from '../storage/planner';
import { select } from '../storage/query-runner';
import { CommandContext, CommandHandler, docArg } from './context';
import { runAggregate, runFind } from './reads';
import { SERVER_VERSION } from './server-info';

function winningPlan(stage: string, indexName?: string, keyPattern?: Doc): Doc {
  if (stage === 'IXSCAN')
    return {
      stage: 'FETCH',
      inputStage: {
        stage: 'IXSCAN',
        indexName,
        keyPattern,
        isMultiKey: false,
        direction: 'forward',
      },
    };
  return { stage };
}

function queryFilter(inner: Doc): Doc {
  if (inner.find !== undefined) return docArg(inner.filter, 'filter');
  if (inner.count !== undefined || inner.distinct !== undefined)
    return docArg(inner.query, 'query');
  if (inner.findAndModify !== undefined) return docArg(inner.query, 'query');
  if (Array.isArray(inner.updates)) return docArg(docArg(inner.updates[0], 'updates').q, 'q');
  if (Array.isArray(inner.deletes)) return docArg(docArg(inner.deletes[0], 'deletes').q, 'q');
  if (Array.isArray(inner.pipeline)) {
    const first: unknown = inner.pipeline[0];
    return isPlainObject(first) && isPlainObject(first.$match) ? first.$match : {};
  }
  return {};
}

/** explain: the plan a command would use, with execution statistics for reads. */
const explain: CommandHandler = (command, ctx: CommandContext) => {
  const inner = docArg(command.explain, 'explain');
  const name = Object.keys(inner)[0];
  if (!name) throw badValue('explain command requires a nested object');
  const collName = String(inner[name]);
  const collection = ctx.engine.collection(ctx.db, collName);
  const filter = queryFilter(inner);
  const started = Date.now();
  const plan = collection ? planQuery(collection, filter) : undefined;
  let nReturned: number;
  let docsExamined: number;
  if (name === 'find') {
    const { docs, selection } = runFind({ ...inner, $db: ctx.db }, ctx);
    nReturned = docs.length;
    docsExamined = selection.docsExamined;
  } else if (name === 'aggregate') {
    nReturned = runAggregate(inner, ctx).docs.length;
    docsExamined = select(collection, filter).docsExamined;
  } else {
    const selection = select(collection, filter);
    nReturned = selection.docs.length;
    docsExamined = selection.docsExamined;
  }
  return {
    explainVersion: '1',
    queryPlanner: {
      namespace: `${ctx.db}.${collName}`,
      indexFilterSet: false,
      parsedQuery: filter,
      winningPlan: winningPlan(plan?.stage ?? 'EOF', plan?.indexName, plan?.keyPattern),
      rejectedPlans: [],
    },
    executionStats: {
      executionSuccess: true,
      nReturned,
      executionTimeMillis: Date.now() - started,
      totalKeysExamined: plan?.keysExamined ?? 0,
      totalDocsExamined: docsExamined,
    },
    command: inner,
    serverInfo: { host: hostname(), version: SERVER_VERSION },
    ok: 1,
  };
};

export const explainCommands: Record<string, CommandHandler> = { explain };
