import type { Document } from 'mongodb';
import {
  createIndex,
  indexNames,
  pathOf,
  serverErrorOf,
  startHarness,
  stopHarness,
  type Doc,
  type Harness,
} from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => stopHarness(h));

describe('index option conflicts', () => {
  it('the same key pattern under another name fails with code 85 (IndexOptionsConflict)', async () => {
    const coll = h.freshColl('conflict85');
    await createIndex(coll, { email: 1 }, { name: 'by_email' });
    const error = await serverErrorOf(createIndex(coll, { email: 1 }, { name: 'email_again' }));
    expect(error.code).toBe(85);
    expect(await indexNames(coll)).toEqual(['_id_', 'by_email']);
  });

  it('the same name with another key pattern fails with code 86 (IndexKeySpecsConflict)', async () => {
    const coll = h.freshColl('conflict86');
    await createIndex(coll, { email: 1 }, { name: 'lookup' });
    const error = await serverErrorOf(createIndex(coll, { phone: 1 }, { name: 'lookup' }));
    expect(error.code).toBe(86);
    const indexes = await coll.indexes();
    expect(indexes.map((i) => [i.name, i.key])).toEqual([
      ['_id_', { _id: 1 }],
      ['lookup', { email: 1 }],
    ]);
  });
});

/** Collects every `stage` name and `indexName` appearing anywhere in an explain plan. */
function planFacts(plan: unknown): { stages: string[]; indexNames: string[] } {
  const stages: string[] = [];
  const names: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.stage === 'string') stages.push(record.stage);
      if (typeof record.indexName === 'string') names.push(record.indexName);
      Object.values(record).forEach(visit);
    }
  };
  visit(plan);
  return { stages, indexNames: names };
}

describe('indexes are used by queries', () => {
  const N = 2000;
  let db: ReturnType<Harness['freshDb']>;

  beforeAll(async () => {
    db = h.freshDb('explain');
    const docs: Doc[] = Array.from({ length: N }, (_, i) => ({
      _id: i,
      email: `user${i}@x.io`,
      plain: `user${i}@x.io`,
      n: i,
    }));
    await db.collection<Doc>('users').insertMany(docs);
    await createIndex(db.collection<Doc>('users'), { email: 1 });
  });

  async function explainFind(filter: Document): Promise<Document> {
    return db.collection<Doc>('users').find(filter).explain('executionStats');
  }

  it('an equality on an indexed field examines at most one document and uses IXSCAN on it', async () => {
    const plan = await explainFind({ email: 'user1234@x.io' });
    expect(pathOf(plan, 'executionStats.nReturned')).toBe(1);
    expect(pathOf(plan, 'executionStats.totalDocsExamined') as number).toBeLessThanOrEqual(1);
    const winning = planFacts(pathOf(plan, 'queryPlanner.winningPlan'));
    expect(winning.stages).toContain('IXSCAN');
    expect(winning.indexNames).toContain('email_1');
    expect(winning.stages).not.toContain('COLLSCAN');
  });

  it('the same query on an unindexed field scans every document (COLLSCAN)', async () => {
    const plan = await explainFind({ plain: 'user1234@x.io' });
    expect(pathOf(plan, 'executionStats.nReturned')).toBe(1);
    expect(pathOf(plan, 'executionStats.totalDocsExamined')).toBe(N);
    expect(planFacts(pathOf(plan, 'queryPlanner.winningPlan')).stages).toContain('COLLSCAN');
  });

  it('an _id lookup examines at most one document', async () => {
    const plan = await explainFind({ _id: 1500 });
    expect(pathOf(plan, 'executionStats.nReturned')).toBe(1);
    expect(pathOf(plan, 'executionStats.totalDocsExamined') as number).toBeLessThanOrEqual(1);
    expect(planFacts(pathOf(plan, 'queryPlanner.winningPlan')).stages).not.toContain('COLLSCAN');
  });

  it('a range on an indexed field examines only the documents in range', async () => {
    const plan = await explainFind({ email: { $gte: 'user1990@x.io', $lt: 'user1999@x.io' } });
    // user1990@ .. user1998@ sort between the bounds ('user199@x.io' sorts after them: '@' > '9')
    expect(pathOf(plan, 'executionStats.nReturned')).toBe(9);
    expect(pathOf(plan, 'executionStats.totalDocsExamined') as number).toBeLessThanOrEqual(9);
  });

  it('a miss on an indexed field examines no documents and returns nothing', async () => {
    const plan = await explainFind({ email: 'nobody@x.io' });
    expect(pathOf(plan, 'executionStats.nReturned')).toBe(0);
    expect(pathOf(plan, 'executionStats.totalDocsExamined')).toBe(0);
  });

  it('equalities on a prefix of a compound multikey index use it (the rest of the filter applies after)', async () => {
    const members = db.collection<Doc>('members');
    await members.insertMany(
      Array.from({ length: 300 }, (_, i) => ({
        _id: i,
        rooms: [`day-${i % 30}`, `year-${i % 7}`],
        banned: i % 10 === 0,
      })),
    );
    await createIndex(members, { rooms: 1, banned: 1, _id: 1 });
    const plan = await members.find({ rooms: 'day-3', banned: false }).explain('executionStats');
    const winning = planFacts(pathOf(plan, 'queryPlanner.winningPlan'));
    expect(winning.stages).toContain('IXSCAN');
    expect(winning.indexNames).toContain('rooms_1_banned_1__id_1');
    expect(pathOf(plan, 'executionStats.nReturned')).toBe(10);
    expect(pathOf(plan, 'executionStats.totalDocsExamined') as number).toBeLessThanOrEqual(10);
    const ids = (await members.find({ rooms: 'day-0', banned: false }).toArray()).map((d) => d._id);
    expect(ids).toEqual([]);
    expect(await members.countDocuments({ rooms: { $in: ['day-1', 'day-2'] } })).toBe(20);
  });

  it('the indexed query returns the right document', async () => {
    const docs = await db.collection<Doc>('users').find({ email: 'user1234@x.io' }).toArray();
    expect(docs).toEqual([{ _id: 1234, email: 'user1234@x.io', plain: 'user1234@x.io', n: 1234 }]);
  });
});
