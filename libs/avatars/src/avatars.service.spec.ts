import { DomainError } from '@app/common';
import type { FileStorage, StoredFile } from '@app/files';
import type { AvatarSource, UserPrivateDto, UsersService } from '@app/users';
import sharp from 'sharp';
import { AvatarsService } from './avatars.service';

const ID = '6650f1c2a3b4c5d6e7f80912';

class FakeStorage implements FileStorage {
  readonly kind = 'fake';
  readonly files = new Map<string, StoredFile>();
  failPut = false;
  failDelete = false;
  /** Keys whose next get answers null once (a file replaced while it was being read). */
  readonly vanishing = new Set<string>();

  put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    if (this.failPut) return Promise.reject(new Error('disk full'));
    this.files.set(key, { bytes, contentType });
    return Promise.resolve();
  }

  get(key: string): Promise<StoredFile | null> {
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

  avatarSource(): Promise<AvatarSource> {
    if (!this.source) return Promise.reject(DomainError.notFound('No such user'));
    return Promise.resolve(this.source);
  }

  setAvatarHash(_id: string, avatarHash: string | null): Promise<string | null> {
    if (this.failSet || !this.source) return Promise.reject(DomainError.notFound('No such user'));
    const previous = this.source.avatarHash;
    this.source = { ...this.source, avatarHash };
    return Promise.resolve(previous);
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
});
