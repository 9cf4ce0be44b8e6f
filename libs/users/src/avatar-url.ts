import { createHash } from 'node:crypto';

/** Where every user's avatar is served (GET, no auth): the API prefix included. */
export const AVATAR_PATH = '/api/v1/avatars';

/**
 * The look of generated avatars: part of their version, so a change of the drawing (colours,
 * font, layout) gives every generated avatar a new URL. Raise it whenever the drawing changes.
 */
export const GENERATED_AVATAR_STYLE = 1;

const VERSION_LENGTH = 16;
const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Letters of the scripts the avatar font (DejaVu Sans) draws, and ASCII digits. */
const DRAWN =
  /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Georgian}0-9]/u;

function firstGrapheme(word: string): string | undefined {
  const first = Array.from(segmenter.segment(word)).at(0);
  return first !== undefined && DRAWN.test(first.segment) && /^[\p{L}\p{N}]/u.test(first.segment)
    ? first.segment
    : undefined;
}

/**
 * The initials a generated avatar shows: the first character of the first word and of the last
 * that start with a letter of a script the avatar font draws (Latin, Greek, Cyrillic, Armenian,
 * Georgian) or a digit, upper-cased (locale-free); one when only one word does; none when no
 * word does (names in other scripts get their colour alone, never a missing-glyph box).
 */
export function initialsOf(displayName: string): string {
  const letters = displayName
    .split(/\s+/u)
    .map(firstGrapheme)
    .filter((letter): letter is string => letter !== undefined);
  if (letters.length === 0) return '';
  const picked = letters.length === 1 ? letters : [letters[0], letters[letters.length - 1]];
  // One letter stays one: "ß" keeps its form rather than becoming "SS".
  return picked
    .map((letter) =>
      letter.toUpperCase().length === letter.length ? letter.toUpperCase() : letter,
    )
    .join('');
}

/** What a user's avatar is made from: an upload's hash, or the generated one's inputs. */
export interface AvatarSource {
  readonly id: string;
  readonly displayName: string;
  readonly banned: boolean;
  /** SHA-256 (hex) of the stored upload; null: the generated avatar. */
  readonly avatarHash: string | null;
}

/** The upload a user's avatar shows, or null for the generated one (always so when banned). */
export function uploadedAvatarHash(user: AvatarSource): string | null {
  return user.banned ? null : user.avatarHash;
}

/** Changes whenever the avatar's bytes do: an upload's hash, or the generated avatar's inputs. */
export function avatarVersion(user: AvatarSource): string {
  const uploaded = uploadedAvatarHash(user);
  if (uploaded !== null) return uploaded.slice(0, VERSION_LENGTH);
  const inputs = `generated:${GENERATED_AVATAR_STYLE}:${user.id}:${initialsOf(user.displayName)}`;
  return createHash('sha256').update(inputs).digest('hex').slice(0, VERSION_LENGTH);
}

/** The avatar URL of public views: the path with the version, so clients may cache it forever. */
export function avatarUrlOf(user: AvatarSource): string {
  return `${AVATAR_PATH}/${user.id}?v=${avatarVersion(user)}`;
}
