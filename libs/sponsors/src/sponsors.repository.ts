import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, type PipelineStage, trusted, Types } from 'mongoose';
import {
  type DayTotal,
  duplicateKeyFields,
  newestFirst,
  type TimeSpan,
  totalsByUtcDay,
  within,
} from '@app/database';
import type {
  NewSponsor,
  SponsorChanges,
  SponsorCounts,
  SponsorRecord,
  SponsorStats,
} from './sponsor.record';
import { Sponsor, SponsorImpression } from './sponsor.schema';

type SponsorDoc = Sponsor & { _id: Types.ObjectId };

export interface NewImpression {
  sponsorId: string;
  roomKey: string;
  userId: string;
  sessionId: string;
  shownAt: Date;
}

function toRecord(doc: SponsorDoc): SponsorRecord {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    text: doc.text,
    imageUrl: doc.imageUrl ?? null,
    linkUrl: doc.linkUrl,
    startsAt: doc.startsAt,
    endsAt: doc.endsAt,
    active: doc.active,
    weight: doc.weight,
    displaySeconds: doc.displaySeconds,
    roomKinds: doc.roomKinds,
    roomKeys: doc.roomKeys,
    deletedAt: doc.deletedAt ?? null,
    createdBy: doc.createdBy?.toHexString() ?? null,
    createdAt: doc.createdAt,
  };
}

interface CountsRow {
  _id: unknown;
  impressions: number;
  clicks: number;
  uniqueUsers: number;
}

/** Impressions, clicks and distinct users per `key` (null: all together). */
function countsBy(key: unknown): PipelineStage[] {
  return [
    {
      $group: {
        _id: key,
        impressions: { $sum: 1 },
        clicks: { $sum: { $cond: [{ $eq: [{ $ifNull: ['$clickedAt', null] }, null] }, 0, 1] } },
        users: { $addToSet: '$userId' },
      },
    },
    { $project: { _id: 1, impressions: 1, clicks: 1, uniqueUsers: { $size: '$users' } } },
    { $sort: { _id: 1 } },
  ];
}

function toCounts(row: CountsRow | undefined): SponsorCounts {
  const impressions = row?.impressions ?? 0;
  const clicks = row?.clicks ?? 0;
  const ctr = impressions === 0 ? 0 : Math.round((clicks / impressions) * 10_000) / 10_000;
  return { impressions, uniqueUsers: row?.uniqueUsers ?? 0, clicks, ctr };
}

/** A sponsor shown to a user. */
export interface ShownSponsor {
  sponsorId: string;
  roomKey: string;
  shownAt: Date;
  clickedAt: Date | null;
}

@Injectable()
export class SponsorsRepository {
  constructor(
    @InjectModel(Sponsor.name) private readonly sponsors: Model<Sponsor>,
    @InjectModel(SponsorImpression.name) private readonly impressions: Model<SponsorImpression>,
  ) {}

  /** The sponsors shown to the user, oldest first: which, in which room, when, clicked or not. */
  async impressionsOf(userId: string): Promise<ShownSponsor[]> {
    const docs = await this.impressions
      .find(
        { userId: new Types.ObjectId(userId) },
        { sponsorId: 1, roomKey: 1, shownAt: 1, clickedAt: 1 },
      )
      .sort({ userId: 1, _id: 1 })
      .lean<
        (Pick<SponsorImpression, 'roomKey' | 'shownAt' | 'clickedAt'> & {
          sponsorId: Types.ObjectId;
        })[]
      >();
    return docs.map((doc) => ({
      sponsorId: doc.sponsorId.toHexString(),
      roomKey: doc.roomKey,
      shownAt: doc.shownAt,
      clickedAt: doc.clickedAt,
    }));
  }

  async create(sponsor: NewSponsor): Promise<SponsorRecord> {
    const created = await this.sponsors.create({
      ...sponsor,
      deletedAt: null,
      createdBy: sponsor.createdBy === null ? null : new Types.ObjectId(sponsor.createdBy),
    });
    return toRecord(created.toObject<SponsorDoc>());
  }

  async findById(id: string): Promise<SponsorRecord | null> {
    const doc = await this.sponsors.findById(id).lean<SponsorDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Newest first, after the cursor sponsor when one is given; limit + 1 rows for paging. */
  async page(
    cursor: string | undefined,
    limit: number,
    includeDeleted: boolean,
  ): Promise<SponsorRecord[]> {
    const filter = includeDeleted ? {} : { deletedAt: null };
    const docs = await newestFirst(this.sponsors, filter, cursor, limit).lean<SponsorDoc[]>();
    return docs.map(toRecord);
  }

  /**
   * Applies changes to a live sponsor: the sponsor after, or null when there was none (or, with
   * `window`, when its window is no longer the one the changes were checked against).
   */
  async update(
    id: string,
    changes: SponsorChanges,
    window?: { startsAt: Date; endsAt: Date },
  ): Promise<SponsorRecord | null> {
    const doc = await this.sponsors
      .findOneAndUpdate(
        { _id: id, deletedAt: null, ...window },
        { $set: changes },
        { returnDocument: 'after' },
      )
      .lean<SponsorDoc>();
    return doc ? toRecord(doc) : null;
  }

  async softDelete(id: string, now: Date): Promise<SponsorRecord | null> {
    const doc = await this.sponsors
      .findOneAndUpdate(
        { _id: id, deletedAt: null },
        { $set: { deletedAt: now, active: false } },
        { returnDocument: 'after' },
      )
      .lean<SponsorDoc>();
    return doc ? toRecord(doc) : null;
  }

  /** Live, active sponsors whose window contains `now` (targeting is judged by the caller). */
  async running(now: Date): Promise<SponsorRecord[]> {
    const docs = await this.sponsors
      .find({
        deletedAt: null,
        active: true,
        startsAt: trusted({ $lte: now }),
        endsAt: trusted({ $gt: now }),
      })
      .lean<SponsorDoc[]>();
    return docs.map(toRecord);
  }

  async hasImpression(sessionId: string, roomKey: string): Promise<boolean> {
    return (await this.impressions.exists({ sessionId, roomKey })) !== null;
  }

  /** Records an impression: false when the session already has one in that room. */
  async insertImpression(impression: NewImpression): Promise<boolean> {
    try {
      await this.impressions.create({
        ...impression,
        sponsorId: new Types.ObjectId(impression.sponsorId),
        userId: new Types.ObjectId(impression.userId),
        clickedAt: null,
      });
      return true;
    } catch (error) {
      if (duplicateKeyFields(error) !== null) return false;
      throw error;
    }
  }

  /** Marks one unclicked impression of the sponsor in the session as clicked: false if none. */
  async click(sponsorId: string, sessionId: string, now: Date): Promise<boolean> {
    const result = await this.impressions.updateOne(
      { sponsorId: new Types.ObjectId(sponsorId), sessionId, clickedAt: null },
      { $set: { clickedAt: now } },
    );
    return result.modifiedCount === 1;
  }

  /** Totals, per room and per UTC day, each by one aggregation over the sponsor's impressions. */
  async stats(sponsorId: string): Promise<SponsorStats> {
    const match: PipelineStage = { $match: { sponsorId: new Types.ObjectId(sponsorId) } };
    const day = { $dateToString: { format: '%Y-%m-%d', date: '$shownAt' } };
    const [total, byRoom, byDay] = await Promise.all(
      [null, '$roomKey', day].map((key) =>
        this.impressions.aggregate<CountsRow>([match, ...countsBy(key)]).exec(),
      ),
    );
    return {
      sponsorId,
      ...toCounts(total[0]),
      byRoom: byRoom.map((row) => ({ roomKey: String(row._id), ...toCounts(row) })),
      byDay: byDay.map((row) => ({ day: String(row._id), ...toCounts(row) })),
    };
  }

  /** Impressions shown in the span and clicks made in it, over every sponsor. */
  async countsIn(span: TimeSpan): Promise<{ impressions: number; clicks: number }> {
    const [impressions, clicks] = await Promise.all([
      this.impressions.countDocuments({ shownAt: within(span) }),
      this.impressions.countDocuments({ clickedAt: within(span) }),
    ]);
    return { impressions, clicks };
  }

  /** Impressions shown per UTC day of the span, over every sponsor; days without any are absent. */
  impressionsByDay(span: TimeSpan): Promise<DayTotal[]> {
    return totalsByUtcDay(this.impressions, 'shownAt', span);
  }
}
