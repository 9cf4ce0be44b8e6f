import type { SponsorChanges, SponsorRecord, SponsorStats } from './sponsor.record';
import type { NewImpression, SponsorsRepository } from './sponsors.repository';

interface FakeImpression extends NewImpression {
  clickedAt: Date | null;
}

/** SponsorsRepository in memory, for unit specs: the same answers, the unique (session, room). */
export class FakeSponsorsRepository implements Pick<
  SponsorsRepository,
  | 'create'
  | 'findById'
  | 'update'
  | 'softDelete'
  | 'running'
  | 'hasImpression'
  | 'insertImpression'
  | 'click'
  | 'stats'
> {
  readonly sponsors = new Map<string, SponsorRecord>();
  readonly impressions: FakeImpression[] = [];
  private nextId = 0;

  create(sponsor: Omit<SponsorRecord, 'id' | 'deletedAt'>): Promise<SponsorRecord> {
    this.nextId += 1;
    const record = { ...sponsor, id: this.nextId.toString(16).padStart(24, '0'), deletedAt: null };
    this.sponsors.set(record.id, record);
    return Promise.resolve({ ...record });
  }

  findById(id: string): Promise<SponsorRecord | null> {
    const found = this.sponsors.get(id);
    return Promise.resolve(found ? { ...found } : null);
  }

  update(
    id: string,
    changes: SponsorChanges,
    window?: { startsAt: Date; endsAt: Date },
  ): Promise<SponsorRecord | null> {
    const found = this.sponsors.get(id);
    if (!found || found.deletedAt) return Promise.resolve(null);
    const moved =
      window !== undefined &&
      (found.startsAt.getTime() !== window.startsAt.getTime() ||
        found.endsAt.getTime() !== window.endsAt.getTime());
    if (moved) return Promise.resolve(null);
    Object.assign(found, changes);
    return Promise.resolve({ ...found });
  }

  softDelete(id: string, now: Date): Promise<SponsorRecord | null> {
    const found = this.sponsors.get(id);
    if (!found || found.deletedAt) return Promise.resolve(null);
    Object.assign(found, { deletedAt: now, active: false });
    return Promise.resolve({ ...found });
  }

  running(now: Date): Promise<SponsorRecord[]> {
    return Promise.resolve(
      [...this.sponsors.values()].filter(
        (s) => !s.deletedAt && s.active && s.startsAt <= now && now < s.endsAt,
      ),
    );
  }

  hasImpression(sessionId: string, roomKey: string): Promise<boolean> {
    return Promise.resolve(
      this.impressions.some((i) => i.sessionId === sessionId && i.roomKey === roomKey),
    );
  }

  async insertImpression(impression: NewImpression): Promise<boolean> {
    // Yield first, as a database round trip would, so that parallel callers interleave.
    await Promise.resolve();
    // The check and the insert happen in one step, as the unique index makes them.
    const taken = this.impressions.some(
      (i) => i.sessionId === impression.sessionId && i.roomKey === impression.roomKey,
    );
    if (taken) return false;
    this.impressions.push({ ...impression, clickedAt: null });
    return true;
  }

  click(sponsorId: string, sessionId: string, now: Date): Promise<boolean> {
    const found = this.impressions.find(
      (i) => i.sponsorId === sponsorId && i.sessionId === sessionId && i.clickedAt === null,
    );
    if (found) found.clickedAt = now;
    return Promise.resolve(found !== undefined);
  }

  stats(sponsorId: string): Promise<SponsorStats> {
    const mine = this.impressions.filter((i) => i.sponsorId === sponsorId);
    const clicks = mine.filter((i) => i.clickedAt !== null).length;
    return Promise.resolve({
      sponsorId,
      impressions: mine.length,
      uniqueUsers: new Set(mine.map((i) => i.userId)).size,
      clicks,
      ctr: mine.length === 0 ? 0 : clicks / mine.length,
      byRoom: [],
      byDay: [],
    });
  }
}
