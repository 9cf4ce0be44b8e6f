import { DomainError } from '@app/common';
import type { FileStorage, StoredFile } from '@app/files';
import type { AvatarSource, UserPrivateDto, UsersService } from '@app/users';
import sharp from 'sharp';
import { AvatarsService, DECODES_AT_ONCE, DECODES_WAITING } from './avatars.service';

const ID = '6650f1c2a3b4c5d6e7f80912';

class FakeStorage implements FileStorage {
  readonly kind = 'fake';
  readonly files = new Map<string, StoredFile>();
  failPut = false;
  failDelete = false;
  /** Keys whose next get answers null once (a file replaced while it was being read). */
  readonly vanishing = new Set<string>();
  gets = 0;

  put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    if (this.failPut) return Promise.reject(new Error('disk full'));
    this.files.set(key, { bytes, contentType });
    return Promise.resolve();
  }

  get(key: string): Promise<StoredFile | null> {
    this.gets++;
    if (this.vanishing.delete(key)) return Promise.resolve(null);
    return Promise.resolve(this.files.get(key) ?? null);
  }

  delete(key: string): Promise<void> {
    if (this.failDelete) return Promise.reject(new Error('io error'));
    this.files.delete(key);
    return Promise.resolve();
  }
}

class FakeUsers implements Pick<UsersService, 'avatarSource' | 'setAvatarHash' | 'privateView'> {
  source: AvatarSource | null = {
    id: ID,
    displayName: 'Ada Lovelace',
    banned: false,
    avatarHash: null,
  };
  failSet = false;
  /** When set, the next setAvatarHash waits for it first (a slow database write). */
  holdNextSet: Promise<void> | null = null;

  avatarSource(): Promise<AvatarSource> {
    if (!this.source) return Promise.reject(DomainError.notFound('No such user'));
    return Promise.resolve(this.source);
  }

  async setAvatarHash(_id: string, avatarHash: string | null): Promise<string | null> {
    const hold = this.holdNextSet;
    this.holdNextSet = null;
    await hold;
    if (this.failSet || !this.source) throw DomainError.notFound('No such user');
    const previous = this.source.avatarHash;
    this.source = { ...this.source, avatarHash };
    return previous;
  }

  privateView(): Promise<UserPrivateDto> {
    return Promise.resolve({ id: ID } as UserPrivateDto);
  }
}

async function image(background: string): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 32, channels: 3, background } })
    .png()
    .toBuffer();
}

describe('AvatarsService', () => {
  let storage: FakeStorage;
  let users: FakeUsers;
  let avatars: AvatarsService;

  beforeEach(() => {
    storage = new FakeStorage();
    users = new FakeUsers();
    avatars = new AvatarsService(users as unknown as UsersService, storage);
  });

  const keys = (): string[] => [...storage.files.keys()];

  it('stores the upload under its hash, points the user at it, then deletes the replaced file', async () => {
    await avatars.upload(ID, await image('#f00'));
    const [first] = keys();
    expect(first).toMatch(new RegExp(`^avatars/${ID}/[0-9a-f]{64}\\.webp$`));
    await avatars.upload(ID, await image('#00f'));
    expect(keys()).toHaveLength(1);
    expect(keys()[0]).not.toBe(first);
    expect(keys()[0]).toBe(`avatars/${ID}/${users.source?.avatarHash}.webp`);
  });

  it('keeps the old avatar when the new file cannot be stored', async () => {
    await avatars.upload(ID, await image('#f00'));
    const before = { hash: users.source?.avatarHash, keys: keys() };
    storage.failPut = true;
    await expect(avatars.upload(ID, await image('#00f'))).rejects.toThrow('disk full');
    expect({ hash: users.source?.avatarHash, keys: keys() }).toEqual(before);
  });

  it('removes the new file when the user cannot be pointed at it, and keeps the one shown', async () => {
    const red = await image('#f00');
    await avatars.upload(ID, red);
    const shown = keys();
    users.failSet = true;
    await expect(avatars.upload(ID, await image('#00f'))).rejects.toThrow('No such user');
    expect(keys()).toEqual(shown);
    await expect(avatars.upload(ID, red)).rejects.toThrow('No such user');
    expect(keys()).toEqual(shown);
  });

  it('refuses a bad upload before touching storage or the user', async () => {
    await expect(avatars.upload(ID, Buffer.from('GIF89a'))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(keys()).toEqual([]);
    expect(users.source?.avatarHash).toBeNull();
  });

  it('an upload succeeds even when the replaced file cannot be deleted (it is only logged)', async () => {
    await avatars.upload(ID, await image('#f00'));
    storage.failDelete = true;
    await expect(avatars.upload(ID, await image('#00f'))).resolves.toEqual({ id: ID });
    expect(keys()).toHaveLength(2);
  });

  it('reset goes back to the generated avatar and deletes the file', async () => {
    const generated = await avatars.avatarOf(ID);
    await avatars.upload(ID, await image('#f00'));
    expect((await avatars.avatarOf(ID)).bytes.equals(generated.bytes)).toBe(false);
    await avatars.reset(ID);
    expect(keys()).toEqual([]);
    expect(await avatars.avatarOf(ID)).toEqual(generated);
  });

  it('reads the user again when the file went away meanwhile, then falls back to the generated one', async () => {
    const generated = await avatars.avatarOf(ID);
    await avatars.upload(ID, await image('#f00'));
    const [key] = keys();
    storage.vanishing.add(key);
    const served = await avatars.avatarOf(ID);
    expect(served.bytes.equals(storage.files.get(key)?.bytes ?? Buffer.alloc(0))).toBe(true);
    storage.files.delete(key);
    expect((await avatars.avatarOf(ID)).bytes.equals(generated.bytes)).toBe(true);
  });

  it('answers 404 for an unknown user', async () => {
    users.source = null;
    await expect(avatars.avatarOf(ID)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers a conditional GET of an upload from the stored hash, without reading storage', async () => {
    await avatars.upload(ID, await image('#f00'));
    const hash = users.source?.avatarHash ?? '';
    storage.gets = 0;
    const full = await avatars.answer(ID, undefined);
    expect(full.etag).toBe(`"${hash}"`);
    expect(
      full.bytes?.equals(storage.files.get(`avatars/${ID}/${hash}.webp`)?.bytes ?? Buffer.alloc(0)),
    ).toBe(true);
    expect(storage.gets).toBe(1);
    for (const header of [`"${hash}"`, `W/"${hash}"`, `"x", "${hash}"`, '*']) {
      expect(await avatars.answer(ID, header)).toEqual({
        bytes: null,
        etag: `"${hash}"`,
        version: full.version,
      });
    }
    expect(storage.gets).toBe(1);
    expect((await avatars.answer(ID, '"other"')).bytes).not.toBeNull();
    expect(storage.gets).toBe(2);
  });

  it('answers a conditional GET of a generated avatar from memory', async () => {
    const generated = await avatars.avatarOf(ID);
    expect(await avatars.answer(ID, generated.etag)).toEqual({ ...generated, bytes: null });
    expect(await avatars.answer(ID, '"other"')).toEqual(generated);
    expect(storage.gets).toBe(0);
  });

  it('refuses uploads with 503 SERVICE_UNAVAILABLE once the decode line is full, and takes them again after', async () => {
    const png = await image('#0f0');
    const burst = DECODES_AT_ONCE + DECODES_WAITING + 3;
    const results = await Promise.allSettled(
      Array.from({ length: burst }, () => avatars.upload(ID, png)),
    );
    const refused = results.filter((result) => result.status === 'rejected');
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(
      DECODES_AT_ONCE + DECODES_WAITING,
    );
    expect(refused).toHaveLength(3);
    for (const result of refused) {
      expect(result.reason).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        retryAfterSeconds: 5,
      });
    }
    await expect(avatars.upload(ID, png)).resolves.toEqual({ id: ID });
    expect(keys()).toEqual([`avatars/${ID}/${users.source?.avatarHash}.webp`]);
  });

  describe("one user's changes run one at a time (a slow first change, a second one meanwhile)", () => {
    let red: Buffer;
    let blue: Buffer;
    let release: () => void;
    let redHash: string | null | undefined;

    beforeEach(async () => {
      [red, blue] = await Promise.all([image('#f00'), image('#00f')]);
      await avatars.upload(ID, red);
      redHash = users.source?.avatarHash;
      users.holdNextSet = new Promise((resolve) => (release = resolve));
    });

    /** Starts `first`, lets it reach its (held) database write, starts `second`, then lets go. */
    async function afterBoth(
      first: () => Promise<unknown>,
      second: () => Promise<unknown>,
    ): Promise<void> {
      const one = first();
      while (users.holdNextSet !== null) await new Promise((resolve) => setTimeout(resolve, 5));
      const two = second();
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      await Promise.all([one, two]);
    }

    const shown = (): string[] =>
      users.source?.avatarHash ? [`avatars/${ID}/${users.source.avatarHash}.webp`] : [];

    it('the same image again, then another: the other is shown, its file kept', async () => {
      await afterBoth(
        () => avatars.upload(ID, red),
        () => avatars.upload(ID, blue),
      );
      expect(keys()).toEqual(shown());
      expect([null, redHash]).not.toContain(users.source?.avatarHash);
      expect((await avatars.avatarOf(ID)).etag).toBe(`"${users.source?.avatarHash}"`);
    });

    it('the same image again, then a reset: the generated avatar, no file left', async () => {
      await afterBoth(
        () => avatars.upload(ID, red),
        () => avatars.reset(ID),
      );
      expect(users.source?.avatarHash).toBeNull();
      expect(keys()).toEqual([]);
    });

    it('a reset, then an upload: the upload is shown, its file kept', async () => {
      await afterBoth(
        () => avatars.reset(ID),
        () => avatars.upload(ID, blue),
      );
      expect(keys()).toEqual(shown());
      expect([null, redHash]).not.toContain(users.source?.avatarHash);
    });
  });
});
