import { Injectable } from '@nestjs/common';
import {
  Clock,
  DomainError,
  type ErrorDetail,
  normalizePlainText,
  type Page,
  toPage,
} from '@app/common';
import type { DayTotal, TimeSpan } from '@app/database';
import { RoomsService } from '@app/rooms';
import type { RoomRef } from '@app/users';
import {
  type SponsorChanges,
  type SponsorInput,
  type SponsorRecord,
  type SponsorStats,
  type SponsorView,
  type SponsorViewer,
  toSponsorView,
} from './sponsor.record';
import {
  DEFAULT_DISPLAY_SECONDS,
  DEFAULT_WEIGHT,
  isEligible,
  requireWindow,
  SPONSOR_NAME_MAX,
  SPONSOR_TEXT_MAX,
} from './sponsor-rules';
import { type ShownSponsor, SponsorsRepository } from './sponsors.repository';
import { pickWeighted, RandomSource } from './weighted-pick';

function notFound(): DomainError {
  return DomainError.notFound('No such sponsor');
}

function unique<T>(values: readonly T[] = []): T[] {
  return [...new Set(values)];
}

/**
 * Sponsors: their management (for the admin routes), the choice of the one shown when a user
 * enters a room (for GET /rooms/:key/sponsor and the socket's room:join alike), and clicks.
 */
@Injectable()
export class SponsorsService {
  constructor(
    private readonly sponsors: SponsorsRepository,
    private readonly rooms: RoomsService,
    private readonly random: RandomSource,
    private readonly clock: Clock,
  ) {}

  /** The sponsors shown to the user (their data export), oldest first. */
  shownTo(userId: string): Promise<ShownSponsor[]> {
    return this.sponsors.impressionsOf(userId);
  }

  async create(raw: SponsorInput, createdBy: string | null): Promise<SponsorRecord> {
    const input = withPlainTexts(raw);
    requireWindow(input.startsAt, input.endsAt);
    return this.sponsors.create({
      name: input.name,
      text: input.text,
      imageUrl: input.imageUrl ?? null,
      linkUrl: input.linkUrl,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      active: input.active ?? true,
      weight: input.weight ?? DEFAULT_WEIGHT,
      displaySeconds: input.displaySeconds ?? DEFAULT_DISPLAY_SECONDS,
      roomKinds: unique(input.roomKinds),
      roomKeys: unique(input.roomKeys),
      createdBy,
      createdAt: this.clock.now(),
    });
  }

  async list(
    cursor: string | undefined,
    limit: number,
    includeDeleted = false,
  ): Promise<Page<SponsorRecord>> {
    return toPage(await this.sponsors.page(cursor, limit, includeDeleted), limit);
  }

  /** Changes a live sponsor (404 for a deleted one); the window stays startsAt < endsAt. */
  async update(id: string, input: SponsorChanges): Promise<SponsorRecord> {
    const changes = withPlainTexts(sponsorChanges(input));
    if (Object.keys(changes).length === 0) {
      throw DomainError.validation(
        [{ field: 'body', message: 'must change at least one field of the sponsor' }],
        'Nothing to change',
      );
    }
    if (changes.startsAt === undefined && changes.endsAt === undefined) {
      const updated = await this.sponsors.update(id, changes);
      if (!updated) throw notFound();
      return updated;
    }
    const current = await this.sponsors.findById(id);
    if (!current || current.deletedAt) throw notFound();
    requireWindow(changes.startsAt ?? current.startsAt, changes.endsAt ?? current.endsAt);
    // Only over the window just checked: a parallel change of it makes this one a 409, never a
    // stored startsAt >= endsAt.
    const window = { startsAt: current.startsAt, endsAt: current.endsAt };
    const updated = await this.sponsors.update(id, changes, window);
    if (updated) return updated;
    const now = await this.sponsors.findById(id);
    if (!now || now.deletedAt) throw notFound();
    throw DomainError.conflict('The sponsor’s window changed meanwhile; read it and try again');
  }

  /** Soft delete: never shown again; its impressions and clicks stay for the statistics. */
  async delete(id: string): Promise<SponsorRecord> {
    const deleted = await this.sponsors.softDelete(id, this.clock.now());
    if (!deleted) throw notFound();
    return deleted;
  }

  /** Statistics of any sponsor ever created, deleted ones included. */
  async stats(id: string): Promise<SponsorStats> {
    if (!(await this.sponsors.findById(id))) throw notFound();
    return this.sponsors.stats(id);
  }

  /** Impressions shown and clicks made in the span, over every sponsor (admin statistics). */
  countsIn(span: TimeSpan): Promise<{ impressions: number; clicks: number }> {
    return this.sponsors.countsIn(span);
  }

  /** Impressions shown per UTC day of the span, over every sponsor (admin statistics). */
  impressionsByDay(span: TimeSpan): Promise<DayTotal[]> {
    return this.sponsors.impressionsByDay(span);
  }

  /** GET /rooms/:key/sponsor: the member's sponsor for the room (404/403 as RoomsService says). */
  async offer(viewer: SponsorViewer, roomKey: string): Promise<SponsorView | null> {
    const room = await this.rooms.requireMember(viewer.userId, roomKey);
    return this.offerIn(room, viewer);
  }

  /**
   * The sponsor to show a member entering a room they belong to, recorded as an impression; null
   * when none is eligible or when this session already had its impression in this room. The
   * unique (session, room) index decides between parallel entries: only one of them shows one.
   */
  async offerIn(room: RoomRef, viewer: SponsorViewer): Promise<SponsorView | null> {
    if (await this.sponsors.hasImpression(viewer.sessionId, room.key)) return null;
    const now = this.clock.now();
    const eligible = (await this.sponsors.running(now)).filter((s) => isEligible(s, room, now));
    const chosen = pickWeighted(eligible, this.random);
    if (!chosen) return null;
    const recorded = await this.sponsors.insertImpression({
      sponsorId: chosen.id,
      roomKey: room.key,
      userId: viewer.userId,
      sessionId: viewer.sessionId,
      shownAt: now,
    });
    return recorded ? toSponsorView(chosen) : null;
  }

  /** Counts a click on a sponsor this session was shown, once per impression; else 404. */
  async click(viewer: SponsorViewer, sponsorId: string): Promise<void> {
    const counted = await this.sponsors.click(sponsorId, viewer.sessionId, this.clock.now());
    if (!counted) {
      throw DomainError.notFound('This session has no unclicked impression of this sponsor');
    }
  }
}

/** Name and text as stored (control characters removed, trimmed); 400 naming each that is empty. */
function withPlainTexts<T extends SponsorChanges>(input: T): T {
  const out = { ...input };
  const problems: ErrorDetail[] = [];
  const limits = { name: SPONSOR_NAME_MAX, text: SPONSOR_TEXT_MAX } as const;
  for (const field of ['name', 'text'] as const) {
    if (input[field] === undefined) continue;
    const result = normalizePlainText(input[field], field, limits[field]);
    if (result.ok) out[field] = result.text;
    else problems.push({ field, message: result.problem });
  }
  if (problems.length > 0) throw DomainError.validation(problems);
  return out;
}

/** The changes actually asked for: keys whose value is undefined dropped, targets deduplicated. */
export function sponsorChanges(input: SponsorChanges): SponsorChanges {
  const changes: SponsorChanges = Object.fromEntries(
    Object.entries(input as Record<string, unknown>).filter(([, value]) => value !== undefined),
  );
  if (changes.roomKinds) changes.roomKinds = unique(changes.roomKinds);
  if (changes.roomKeys) changes.roomKeys = unique(changes.roomKeys);
  return changes;
}
