import { Injectable, Logger } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { DomainError, InTurn, KeyedQueue } from '@app/common';
import { FileStorage } from '@app/files';
import {
  type AvatarSource,
  avatarVersion,
  initialsOf,
  uploadedAvatarHash,
  type UserPrivateDto,
  UsersService,
} from '@app/users';
import { AVATAR_CONTENT_TYPE, avatarFromUpload, sha256Hex } from './avatar-image';
import { matchesEtag } from './etag';
import { renderGeneratedAvatar } from './generated-avatar';

/** An avatar as served: its bytes, their strong ETag, and the version its URL carries. */
export interface ServedAvatar {
  readonly bytes: Buffer;
  readonly etag: string;
  readonly version: string;
}

/** The answer to a conditional GET: the avatar, or `bytes: null` when the client holds it. */
export interface AvatarAnswer {
  readonly bytes: Buffer | null;
  readonly etag: string;
  readonly version: string;
}

const CORES = availableParallelism();

/**
 * Uploads decoded at once: at most 2 (a 16-megapixel decode takes a core and tens of MB), and one
 * core stays free for the event loop.
 */
export const DECODES_AT_ONCE = Math.max(1, Math.min(2, CORES - 1));
/** Uploads that may wait for a decode (each holds its body, at most 2 MB); then 503. */
export const DECODES_WAITING = 8;
/** Generated avatars drawn at once (256×256, a few ms each, then kept in memory). */
const DRAWINGS_AT_ONCE = Math.max(1, CORES - 1);

/** Generated avatars kept in memory (a few KB each), by version: id, initials and style. */
const GENERATED_CACHE_SIZE = 2000;

function storageKey(userId: string, hash: string): string {
  return `avatars/${userId}/${hash}.webp`;
}

function etagOf(bytes: Buffer): string {
  return `"${sha256Hex(bytes)}"`;
}

function tooBusy(): DomainError {
  return new DomainError(
    'SERVICE_UNAVAILABLE',
    'Too many avatar uploads are being processed; try again shortly',
    [],
    5,
  );
}

@Injectable()
export class AvatarsService {
  private readonly logger = new Logger(AvatarsService.name);
  private readonly generated = new Map<string, Promise<ServedAvatar>>();
  private readonly decodes = new InTurn(DECODES_AT_ONCE, {
    maxWaiting: DECODES_WAITING,
    whenFull: tooBusy,
  });
  private readonly drawings = new InTurn(DRAWINGS_AT_ONCE);
  /** One avatar change (upload or reset) at a time per user on this instance. */
  private readonly changes = new KeyedQueue();

  constructor(
    private readonly users: UsersService,
    private readonly storage: FileStorage,
  ) {}

  /**
   * Makes the upload the user's avatar: the new file is stored whole under a key of its own hash
   * before the user points at it, and the old one is deleted only after; on any failure the old
   * avatar stays. The decode waits its turn (503 SERVICE_UNAVAILABLE when too many wait); the
   * change itself runs after the user's earlier changes, never beside them.
   */
  async upload(userId: string, upload: Buffer): Promise<UserPrivateDto> {
    const image = await this.decodes.run(() => avatarFromUpload(upload));
    await this.changes.run(userId, async () => {
      const before = await this.users.avatarSource(userId);
      await this.storage.put(storageKey(userId, image.hash), image.bytes, AVATAR_CONTENT_TYPE);
      let previous: string | null;
      try {
        previous = await this.users.setAvatarHash(userId, image.hash);
      } catch (error) {
        // The user was not pointed at the new file: remove it, unless it is the one shown.
        if (before.avatarHash !== image.hash) await this.discard(userId, image.hash);
        throw error;
      }
      if (previous !== null && previous !== image.hash) await this.discard(userId, previous);
    });
    return this.users.privateView(userId);
  }

  /** Back to the generated avatar; the uploaded file is deleted. */
  async reset(userId: string): Promise<void> {
    await this.changes.run(userId, async () => {
      const previous = await this.users.setAvatarHash(userId, null);
      if (previous !== null) await this.discard(userId, previous);
    });
  }

  /**
   * The avatar of a user (404 for an unknown one): the upload, or the generated image for users
   * without one and for banned users. A file replaced between reading the user and reading the
   * file is looked up again once.
   */
  async avatarOf(userId: string): Promise<ServedAvatar> {
    return this.served(userId, await this.users.avatarSource(userId));
  }

  /**
   * The answer to GET with this If-None-Match: `bytes: null` (304) when it names the current
   * ETag. An upload's ETag is its stored hash (the file's key is the SHA-256 of its bytes), so a
   * 304 for an upload reads nothing from storage; a generated avatar comes from memory.
   */
  async answer(userId: string, ifNoneMatch: string | undefined): Promise<AvatarAnswer> {
    const source = await this.users.avatarSource(userId);
    const hash = uploadedAvatarHash(source);
    if (hash !== null) {
      const etag = `"${hash}"`;
      if (matchesEtag(ifNoneMatch, etag)) {
        return { bytes: null, etag, version: avatarVersion(source) };
      }
    }
    const avatar = await this.served(userId, source);
    return matchesEtag(ifNoneMatch, avatar.etag) ? { ...avatar, bytes: null } : avatar;
  }

  private async served(userId: string, first: AvatarSource): Promise<ServedAvatar> {
    let source = first;
    for (let attempt = 0; ; attempt += 1) {
      const hash = uploadedAvatarHash(source);
      if (hash === null) return this.generatedAvatar(source);
      const file = await this.storage.get(storageKey(userId, hash));
      if (file !== null) {
        return { bytes: file.bytes, etag: etagOf(file.bytes), version: avatarVersion(source) };
      }
      if (attempt > 0) {
        this.logger.warn(
          { userId },
          'Uploaded avatar file is missing: the generated one is served',
        );
        return this.generatedAvatar({ ...source, avatarHash: null });
      }
      source = await this.users.avatarSource(userId);
    }
  }

  private generatedAvatar(source: AvatarSource): Promise<ServedAvatar> {
    const version = avatarVersion(source);
    const cached = this.generated.get(version);
    if (cached) return cached;
    const initials = initialsOf(source.displayName);
    const rendering = this.drawings
      .run(() => renderGeneratedAvatar(source.id, initials))
      .then((bytes) => ({ bytes, etag: etagOf(bytes), version }));
    rendering.catch(() => this.generated.delete(version));
    if (this.generated.size >= GENERATED_CACHE_SIZE) {
      const oldest = this.generated.keys().next().value;
      if (oldest !== undefined) this.generated.delete(oldest);
    }
    this.generated.set(version, rendering);
    return rendering;
  }

  private async discard(userId: string, hash: string): Promise<void> {
    try {
      await this.storage.delete(storageKey(userId, hash));
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'A replaced avatar file could not be deleted');
    }
  }
}
