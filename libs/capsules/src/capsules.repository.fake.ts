import type { CapsuleRecord, CapsulesRepository } from './capsules.repository';

/**
 * CapsulesRepository in memory, with its semantics and planned failures of the next inserts. The
 * statistics counts are aggregation queries, checked end to end, not here.
 */
export class FakeCapsulesRepository implements Omit<
  CapsulesRepository,
  'countSealedIn' | 'countDeliveredIn' | 'deleteAllOwned'
> {
  readonly rows = new Map<string, CapsuleRecord>();
  private readonly failures: Error[] = [];
  private lastId = 0;

  /** The next insert throws this error without storing anything. */
  failNextInsert(error: Error): void {
    this.failures.push(error);
  }

  newId(): string {
    this.lastId += 1;
    return this.lastId.toString(16).padStart(24, '0');
  }

  insert(capsule: CapsuleRecord): Promise<void> {
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    this.rows.set(capsule.id, { ...capsule });
    return Promise.resolve();
  }

  findOwned(ownerId: string, id: string): Promise<CapsuleRecord | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row && row.ownerId === ownerId ? { ...row } : null);
  }

  listOwned(ownerId: string): Promise<CapsuleRecord[]> {
    const rows = [...this.rows.values()].filter((row) => row.ownerId === ownerId);
    rows.sort((a, b) => a.deliverAt.getTime() - b.deliverAt.getTime() || (a.id < b.id ? -1 : 1));
    return Promise.resolve(rows.map((row) => ({ ...row })));
  }

  deleteSealed(ownerId: string, id: string): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.ownerId !== ownerId || row.status !== 'sealed') return Promise.resolve(false);
    this.rows.delete(id);
    return Promise.resolve(true);
  }

  claimDue(now: Date, instanceId: string): Promise<CapsuleRecord | null> {
    const due = [...this.rows.values()]
      .filter((row) => row.status === 'sealed' && row.deliverAt.getTime() <= now.getTime())
      .sort((a, b) => a.deliverAt.getTime() - b.deliverAt.getTime());
    const row = due.at(0);
    if (!row) return Promise.resolve(null);
    Object.assign(row, {
      status: 'delivered',
      deliveredAt: now,
      claimedBy: instanceId,
      claimedAt: now,
    });
    return Promise.resolve({ ...row });
  }
}
