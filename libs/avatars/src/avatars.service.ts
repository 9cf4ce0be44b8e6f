import { Injectable, Logger } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { InTurn } from '@app/common';
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
import { renderGeneratedAvatar } from './generated-avatar';

/** An avatar as served: its bytes, their strong ETag, and the version its URL carries. */
export interface ServedAvatar {
  readonly bytes: Buffer;
  readonly etag: string;
  readonly version: string;
}

/** Images decoded or drawn at once: one core stays free for the event loop. */
const IMAGES_AT_ONCE = Math.max(1, availableParallelism() - 1);

/** Generated avatars kept in memory (a few KB each), by version: id, initials and style. */
const GENERATED_CACHE_SIZE = 2000;

function storageKey(userId: string, hash: string): string {
  return `avatars/${userId}/${hash}.webp`;
}

function etagOf(bytes: Buffer): string {
  return `"${sha256Hex(bytes)}"`;
}

@Injectable()
export class AvatarsService {
  private readonly logger = new Logger(AvatarsService.name);
  private readonly generated = new Map<string, Promise<ServedAvatar>>();
  private readonly images = new InTurn(IMAGES_AT_ONCE);

  constructor(
    private readonly users: UsersService,
    private readonly storage: FileStorage,
  ) {}

  /**
   * Makes the upload the user's avatar: the new file is stored whole under a key of its own hash
   * before the user points at it, and the old one is deleted only after; on any failure the old
   * avatar stays.
   */
  async upload(userId: string, upload: Buffer): Promise<UserPrivateDto> {
    const image = await this.images.run(() => avatarFromUpload(upload));
    const before = await this.users.avatarSource(userId);
    await this.storage.put(storageKey(userId, image.hash), image.bytes, AVATAR_CONTENT_TYPE);
    let previous: string | null;
    try {
      previous = await this.users.setAvatarHash(userId, image.hash);
    } catch (error) {
      // The user was not pointed at the new file: remove it, unless it is the one already shown.
      if (before.avatarHash !== image.hash) await this.discard(userId, image.hash);
      throw error;
    }
    if (previous !== null && previous !== image.hash) await this.discard(userId, previous);
    return this.users.privateView(userId);
  }

  /** Back to the generated avatar; the uploaded file is deleted. */
  async reset(userId: string): Promise<void> {
    const previous = await this.users.setAvatarHash(userId, null);
    if (previous !== null) await this.discard(userId, previous);
  }

  /**
   * The avatar of a user (404 for an unknown one): the upload, or the generated image for users
   * without one and for banned users. A file replaced between reading the user and reading the
   * file is looked up again once.
   */
  async avatarOf(userId: string): Promise<ServedAvatar> {
    for (let attempt = 0; ; attempt += 1) {
      const source = await this.users.avatarSource(userId);
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
    }
  }

  private generatedAvatar(source: AvatarSource): Promise<ServedAvatar> {
    const version = avatarVersion(source);
    const cached = this.generated.get(version);
    if (cached) return cached;
    const initials = initialsOf(source.displayName);
    const rendering = this.images
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
