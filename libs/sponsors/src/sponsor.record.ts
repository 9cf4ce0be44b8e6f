import type { RoomKind } from '@app/users';

/** A sponsor as the rest of the application sees it: a plain object, ids as hex strings. */
export interface SponsorRecord {
  id: string;
  name: string;
  text: string;
  imageUrl: string | null;
  linkUrl: string;
  startsAt: Date;
  endsAt: Date;
  active: boolean;
  weight: number;
  displaySeconds: number;
  roomKinds: RoomKind[];
  roomKeys: string[];
  deletedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

export interface SponsorInput {
  name: string;
  text: string;
  imageUrl?: string | null;
  linkUrl: string;
  startsAt: Date;
  endsAt: Date;
  active?: boolean;
  weight?: number;
  displaySeconds?: number;
  roomKinds?: RoomKind[];
  roomKeys?: string[];
}

export type SponsorChanges = Partial<SponsorInput>;

export type NewSponsor = Omit<SponsorRecord, 'id' | 'deletedAt'>;

/** What a room's visitor sees of a sponsor. */
export interface SponsorView {
  id: string;
  name: string;
  text: string;
  imageUrl: string | null;
  linkUrl: string;
  displaySeconds: number;
}

export function toSponsorView(sponsor: SponsorRecord): SponsorView {
  return {
    id: sponsor.id,
    name: sponsor.name,
    text: sponsor.text,
    imageUrl: sponsor.imageUrl,
    linkUrl: sponsor.linkUrl,
    displaySeconds: sponsor.displaySeconds,
  };
}

export const SPONSOR_STATUSES = ['running', 'scheduled', 'ended', 'inactive', 'deleted'] as const;
export type SponsorStatus = (typeof SPONSOR_STATUSES)[number];

/** What a sponsor is at `now`; only `running` ones are shown (where their targeting matches). */
export function sponsorStatus(sponsor: SponsorRecord, now: Date): SponsorStatus {
  if (sponsor.deletedAt) return 'deleted';
  if (!sponsor.active) return 'inactive';
  if (now.getTime() < sponsor.startsAt.getTime()) return 'scheduled';
  if (now.getTime() >= sponsor.endsAt.getTime()) return 'ended';
  return 'running';
}

/** The viewer of a room: who, in which session (one impression per session and room). */
export interface SponsorViewer {
  userId: string;
  sessionId: string;
}

export interface SponsorCounts {
  impressions: number;
  uniqueUsers: number;
  clicks: number;
  /** clicks / impressions, 0 without impressions. */
  ctr: number;
}

export interface SponsorStats extends SponsorCounts {
  sponsorId: string;
  byRoom: (SponsorCounts & { roomKey: string })[];
  byDay: (SponsorCounts & { day: string })[];
}
