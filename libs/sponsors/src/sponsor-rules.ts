import { DomainError, type ErrorDetail } from '@app/common';
import { parseRoomKey, type RoomRef } from '@app/users';
import type { SponsorRecord } from './sponsor.record';

export const SPONSOR_NAME_MAX = 100;
export const SPONSOR_TEXT_MAX = 500;
export const SPONSOR_URL_MAX = 2048;
export const SPONSOR_WEIGHT_MAX = 1000;
export const SPONSOR_DISPLAY_SECONDS_MAX = 60;
export const DEFAULT_DISPLAY_SECONDS = 5;
export const DEFAULT_WEIGHT = 1;
/** Most room kinds or keys one sponsor may target. */
export const SPONSOR_TARGETS_MAX = 100;

/**
 * An absolute http(s) URL: a lower-case scheme, a host name, an optional port, then only the
 * characters RFC 3986 allows (anything else percent-encoded: no spaces, controls, quotes or <>).
 */
export const SPONSOR_URL_PATTERN =
  "^https?://[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*(:\\d{1,5})?([/?#][A-Za-z0-9._~:/?#@!$&'()*+,;=%\\[\\]-]*)?$";
const SPONSOR_URL = new RegExp(SPONSOR_URL_PATTERN);

/** A sponsor URL: the pattern above, and one the URL parser takes (a port up to 65535). */
export function isSponsorUrl(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= SPONSOR_URL_MAX &&
    SPONSOR_URL.test(value) &&
    URL.canParse(value)
  );
}

/** A key naming a real room (day-1990-05-17, date-02-29, year-1990), not only well formed. */
export function isRoomKey(value: unknown): value is string {
  return typeof value === 'string' && parseRoomKey(value) !== null;
}

/** The 400 of a window that does not open before it closes. */
export function requireWindow(startsAt: Date, endsAt: Date): void {
  if (startsAt.getTime() < endsAt.getTime()) return;
  const detail: ErrorDetail = { field: 'endsAt', message: 'endsAt must be after startsAt' };
  throw DomainError.validation([detail]);
}

/**
 * Whether the sponsor may be shown in the room at `now`: active, not deleted, inside
 * [startsAt, endsAt), and targeting the room. A sponsor without targeting runs in every room;
 * with targeting, in the rooms whose kind or whose key it lists (either suffices).
 */
export function isEligible(sponsor: SponsorRecord, room: RoomRef, now: Date): boolean {
  const time = now.getTime();
  if (sponsor.deletedAt !== null || !sponsor.active) return false;
  if (time < sponsor.startsAt.getTime() || time >= sponsor.endsAt.getTime()) return false;
  return targets(sponsor, room);
}

export function targets(
  sponsor: Pick<SponsorRecord, 'roomKinds' | 'roomKeys'>,
  room: RoomRef,
): boolean {
  if (sponsor.roomKinds.length === 0 && sponsor.roomKeys.length === 0) return true;
  return sponsor.roomKinds.includes(room.kind) || sponsor.roomKeys.includes(room.key);
}
