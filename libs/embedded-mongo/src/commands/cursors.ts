import { calculateObjectSize, Long } from 'bson';
import { randomBytes } from 'node:crypto';
import { Doc } from '../bson/values';
import { ErrorCode, MongoCommandError } from '../errors';

const DEFAULT_FIRST_BATCH = 101;
/** Keeps a reply under the 16 MiB a BSON document may hold. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  position: number;
  touchedAt: number;
  /** The index a hint made the query use: dropping it kills the cursor. */
  indexName?: string;
}

/** Up to `limit` documents (Infinity: as many as fit in a reply). */
function takeBatch(cursor: OpenCursor, limit: number): Doc[] {
  const batch: Doc[] = [];
  let bytes = 0;
  while (cursor.position < cursor.docs.length && batch.length < limit) {
    const doc = cursor.docs[cursor.position];
    bytes += calculateObjectSize(doc);
    if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
    batch.push(doc);
    cursor.position++;
  }
  return batch;
}

/** Server-side cursors: results are materialised at open and handed out in batches. */
export class CursorStore {
  private readonly open = new Map<string, OpenCursor>();
  /** Why cursors were killed under their client (a drop, a rename), for its next getMore. */
  private readonly killed = new Map<string, string>();

  /** The first batch, and the cursor id (0 when everything fit). */
  start(
    ns: string,
    docs: Doc[],
    batchSize: number | undefined,
    singleBatch = false,
    indexName?: string,
  ): Doc {
    const cursor: OpenCursor = { ns, docs, position: 0, touchedAt: Date.now(), indexName };
    const firstBatch = takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = Long.ZERO;
    if (!singleBatch && (cursor.position < docs.length || (batchSize === 0 && docs.length > 0))) {
      id = this.newId();
      this.open.set(id.toString(), cursor);
    }
    return { cursor: { firstBatch, id, ns }, ok: 1 };
  }

  more(id: Long, ns: string, batchSize: number): Doc {
    const key = id.toString();
    const reason = this.killed.get(key);
    if (reason !== undefined) {
      this.killed.delete(key);
      throw new MongoCommandError(
        ErrorCode.QueryPlanKilled,
        `Executor error during getMore :: caused by :: ${reason}`,
      );
    }
    const cursor = this.open.get(key);
    if (!cursor || cursor.ns !== ns) {
      throw new MongoCommandError(ErrorCode.CursorNotFound, `cursor id ${key} not found`);
    }
    cursor.touchedAt = Date.now();
    const nextBatch = takeBatch(cursor, batchSize > 0 ? batchSize : Infinity);
    const done = cursor.position >= cursor.docs.length;
    if (done) this.open.delete(key);
    return { cursor: { nextBatch, id: done ? Long.ZERO : id, ns }, ok: 1 };
  }

  kill(ids: Long[]): Doc {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id.toString()) ? killed : notFound).push(id);
    return {
      cursorsKilled: killed,
      cursorsNotFound: notFound,
      cursorsAlive: [],
      cursorsUnknown: [],
      ok: 1,
    };
  }

  /** Kills the cursors that match, telling their next getMore why. */
  invalidate(
    matches: (ns: string, indexName: string | undefined) => boolean,
    reason: string,
  ): void {
    for (const [key, cursor] of this.open) {
      if (!matches(cursor.ns, cursor.indexName)) continue;
      this.open.delete(key);
      if (this.killed.size > 10_000) this.killed.clear();
      this.killed.set(key, reason);
    }
  }

  /** Forgets cursors left idle longer than MongoDB's default cursor timeout. */
  sweep(now = Date.now()): void {
    for (const [key, cursor] of this.open) {
      if (now - cursor.touchedAt > IDLE_TIMEOUT_MS) this.open.delete(key);
    }
  }

  get size(): number {
    return this.open.size;
  }

  /**
   * A random positive 63-bit id with bit 62 set: always beyond 2^53, so a driver that turns small
   * int64 values into plain numbers always keeps it a long.
   */
  private newId(): Long {
    let id: Long;
    do {
      const bits = randomBytes(8).readBigInt64LE() & 0x3fffffffffffffffn;
      id = Long.fromBigInt(bits | 0x4000000000000000n);
    } while (id.isZero() || this.open.has(id.toString()));
    return id;
  }
}
