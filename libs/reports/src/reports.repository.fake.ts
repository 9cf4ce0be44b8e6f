import type {
  NewReport,
  ReportOutcome,
  ReportRecord,
  ReportResolution,
  ReportStatus,
} from './report.record';
import type { ReportInsertOutcome, ReportsRepository } from './reports.repository';

/**
 * ReportsRepository in memory, with its semantics: one report per message and reporter (the
 * unique index), pages of limit + 1 rows newest first, and resolution only of an open report.
 */
export class FakeReportsRepository implements Pick<
  ReportsRepository,
  Exclude<keyof ReportsRepository, 'forgetAuthor'>
> {
  readonly rows = new Map<string, ReportRecord>();
  private lastId = 0;

  insert(report: NewReport): Promise<ReportInsertOutcome> {
    const twin = [...this.rows.values()].some(
      (r) => r.messageId === report.messageId && r.reporterId === report.reporterId,
    );
    if (twin) return Promise.resolve({ kind: 'duplicate' });
    this.lastId += 1;
    const id = this.lastId.toString(16).padStart(24, '0');
    const stored: ReportRecord = { ...report, id, status: 'open', resolution: null };
    this.rows.set(id, stored);
    return Promise.resolve({ kind: 'inserted', report: structuredClone(stored) });
  }

  filedBy(reporterId: string): Promise<ReportRecord[]> {
    const rows = [...this.rows.values()].filter((r) => r.reporterId === reporterId);
    return Promise.resolve(structuredClone(rows));
  }

  findById(id: string): Promise<ReportRecord | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? structuredClone(row) : null);
  }

  page(
    status: ReportStatus | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<ReportRecord[]> {
    const rows = [...this.rows.values()]
      .filter((r) => status === undefined || r.status === status)
      .filter((r) => cursor === undefined || r.id < cursor)
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    return Promise.resolve(rows.slice(0, limit + 1).map((r) => structuredClone(r)));
  }

  resolveIfOpen(id: string, resolution: ReportResolution): Promise<ReportRecord | null> {
    const row = this.rows.get(id);
    if (!row || row.status !== 'open') return Promise.resolve(null);
    Object.assign(row, { status: 'resolved', resolution: { ...resolution } });
    return Promise.resolve(structuredClone(row));
  }

  setOutcome(id: string, outcome: ReportOutcome): Promise<ReportRecord | null> {
    const row = this.rows.get(id);
    if (!row?.resolution) return Promise.resolve(null);
    row.resolution.outcome = outcome;
    return Promise.resolve(structuredClone(row));
  }

  reopen(id: string, resolvedAt: Date): Promise<void> {
    const row = this.rows.get(id);
    if (row?.resolution?.resolvedAt.getTime() === resolvedAt.getTime()) {
      Object.assign(row, { status: 'open', resolution: null });
    }
    return Promise.resolve();
  }

  async resolveOpenOfMessage(messageId: string, resolution: ReportResolution): Promise<string[]> {
    const open = [...this.rows.values()].filter(
      (r) => r.messageId === messageId && r.status === 'open',
    );
    const resolved = await Promise.all(open.map((r) => this.resolveIfOpen(r.id, resolution)));
    return resolved.flatMap((r) => (r ? [r.id] : []));
  }
}
