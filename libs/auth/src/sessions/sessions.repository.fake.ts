import { ROTATED_HASHES_KEPT } from './session.schema';
import { isWellFormedSessionId, newSessionId } from './session-tokens';
import type { SessionRecord, SessionsRepository } from './sessions.repository';

type Method =
  | 'create'
  | 'rotate'
  | 'findByRefreshHash'
  | 'findByRotatedHash'
  | 'findById'
  | 'revoke'
  | 'revokeAllOf'
  | 'countUsersActiveSince';

/** A stored session, as the collection holds it. */
export interface SessionRow extends SessionRecord {
  refreshHash: string;
  rotatedHashes: string[];
  revokedReason: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  userAgent: string | null;
}

/** The error a planned failure throws. */
export class SessionStoreDown extends Error {
  constructor(readonly method: string) {
    super(`${method}: the session store is down (injected)`);
    this.name = 'SessionStoreDown';
  }
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    userId: row.userId,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}

/**
 * SessionsRepository in memory, with its semantics: a rotation only of the current hash of an
 * open session (null otherwise), the last ROTATED_HASHES_KEPT rotated hashes remembered,
 * revocations only of sessions not revoked yet. Records are copies, as query results are. The
 * owner's listing (the data export) and the deletion of an account's sessions are checked end
 * to end, not here.
 */
export class FakeSessionsRepository implements Pick<
  SessionsRepository,
  Exclude<keyof SessionsRepository, 'listOf' | 'deleteAllOf'>
> {
  private readonly rows = new Map<string, SessionRow>();
  private readonly failing = new Map<Method, number>();
  /** Every call made, in order: what a cache is meant to spare. */
  readonly calls: Method[] = [];

  /** The next `times` calls of `method` throw without changing anything. */
  failNext(method: Method, times = 1): void {
    this.failing.set(method, (this.failing.get(method) ?? 0) + times);
  }

  private run<T>(method: Method, apply: () => T): Promise<T> {
    this.calls.push(method);
    const failures = this.failing.get(method) ?? 0;
    if (failures > 0) {
      this.failing.set(method, failures - 1);
      return Promise.reject(new SessionStoreDown(method));
    }
    return Promise.resolve(apply());
  }

  create(input: {
    userId: string;
    refreshHash: string;
    expiresAt: Date;
    now: Date;
    userAgent: string | null;
  }): Promise<SessionRecord> {
    return this.run('create', () => {
      const row: SessionRow = {
        id: newSessionId(),
        userId: input.userId,
        refreshHash: input.refreshHash,
        rotatedHashes: [],
        expiresAt: input.expiresAt,
        revokedAt: null,
        revokedReason: null,
        createdAt: input.now,
        lastUsedAt: input.now,
        userAgent: input.userAgent,
      };
      this.rows.set(row.id, row);
      return toRecord(row);
    });
  }

  rotate(hash: string, next: string, now: Date, expiresAt: Date): Promise<SessionRecord | null> {
    return this.run('rotate', () => {
      const row = [...this.rows.values()].find(
        (r) => r.refreshHash === hash && r.revokedAt === null && r.expiresAt > now,
      );
      if (!row) return null;
      Object.assign(row, {
        refreshHash: next,
        lastUsedAt: now,
        expiresAt,
        rotatedHashes: [...row.rotatedHashes, hash].slice(-ROTATED_HASHES_KEPT),
      });
      return toRecord(row);
    });
  }

  findByRefreshHash(hash: string): Promise<SessionRecord | null> {
    return this.run('findByRefreshHash', () => this.find((r) => r.refreshHash === hash));
  }

  findByRotatedHash(hash: string): Promise<SessionRecord | null> {
    return this.run('findByRotatedHash', () => this.find((r) => r.rotatedHashes.includes(hash)));
  }

  findById(id: string): Promise<SessionRecord | null> {
    return this.run('findById', () =>
      isWellFormedSessionId(id) ? this.find((r) => r.id === id) : null,
    );
  }

  revoke(id: string, reason: string, now: Date): Promise<void> {
    return this.run('revoke', () => {
      const row = this.rows.get(id);
      if (row && row.revokedAt === null)
        Object.assign(row, { revokedAt: now, revokedReason: reason });
    });
  }

  revokeAllOf(userId: string, reason: string, now: Date, exceptId?: string): Promise<string[]> {
    return this.run('revokeAllOf', () => {
      const rows = [...this.rows.values()].filter(
        (r) => r.userId === userId && r.revokedAt === null && r.id !== exceptId,
      );
      for (const row of rows) Object.assign(row, { revokedAt: now, revokedReason: reason });
      return rows.map((r) => r.id);
    });
  }

  /** Test view: the stored session, as the collection holds it. */
  countUsersActiveSince(since: Date): Promise<number> {
    return this.run('countUsersActiveSince', () => {
      const rows = [...this.rows.values()].filter((row) => row.lastUsedAt >= since);
      return new Set(rows.map((row) => row.userId)).size;
    });
  }

  row(id: string): SessionRow | undefined {
    const row = this.rows.get(id);
    return row && { ...row, rotatedHashes: [...row.rotatedHashes] };
  }

  private find(match: (row: SessionRow) => boolean): SessionRecord | null {
    const row = [...this.rows.values()].find(match);
    return row ? toRecord(row) : null;
  }
}
