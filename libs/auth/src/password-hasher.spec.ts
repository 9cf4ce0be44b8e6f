import bcrypt from 'bcrypt';
import { AppConfig, loadConfig } from '@app/common';
import { HASHES_AT_ONCE, MAX_PASSWORD_BYTES, PasswordHasher } from './password-hasher';

const OLD_PASSWORD = 'old code password';

/** Hashes of OLD_PASSWORD made by the bcryptjs code this project used before the native bcrypt. */
const BCRYPTJS_HASHES = {
  'bcryptjs 3, cost 4': '$2b$04$F5ZuMMCZlgAKvTzbCrnVIec0CFyJVsBdTNOdXn5MlPDtNH37coUtW',
  'bcryptjs 2 ($2a$), cost 4': '$2a$04$STrS4Nfht0khFEeUeTPG..khEy2kQ3DkjwrSnmDtnwmfOtfDbQAgy',
  'bcryptjs 3, cost 12': '$2b$12$mZohBzr9MZ/dBxjejz3fAOkhRc9h5tL9rC5xd5YFkLqzuPePRtIh2',
};

function hasher(cost = 4): PasswordHasher {
  return new PasswordHasher(new AppConfig(loadConfig({ BCRYPT_COST: String(cost) })));
}

describe('PasswordHasher', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe.each(Object.entries(BCRYPTJS_HASHES))('a hash made by %s', (_, hash) => {
    it('still verifies with its password', async () => {
      await expect(hasher().verify(OLD_PASSWORD, hash)).resolves.toBe(true);
    });

    it.each(['old code passwore', 'Old code password', 'old code password ', ''])(
      'says no to the wrong password %p',
      async (wrong) => {
        await expect(hasher().verify(wrong, hash)).resolves.toBe(false);
      },
    );
  });

  it('makes salted $2b$ hashes at the configured cost that verify', async () => {
    const h = hasher(5);
    const first = await h.hash('correct horse battery');
    const second = await h.hash('correct horse battery');
    expect(first).toMatch(/^\$2b\$05\$[./A-Za-z0-9]{53}$/);
    expect(second).not.toBe(first);
    await expect(h.verify('correct horse battery', first)).resolves.toBe(true);
    await expect(h.verify('correct horse batterY', first)).resolves.toBe(false);
  });

  it('says no without a hash (unknown email), after a compare against a decoy of the same cost', async () => {
    const compare = jest.spyOn(bcrypt, 'compare');
    const h = hasher(6);
    await expect(h.verify('decoy password never matches', undefined)).resolves.toBe(false);
    await expect(h.verify(OLD_PASSWORD, undefined)).resolves.toBe(false);
    expect(compare).toHaveBeenCalledTimes(2);
    for (const [, against] of compare.mock.calls) {
      expect(against).toMatch(/^\$2b\$06\$/);
    }
  });

  it('keeps a core for the event loop: at most HASHES_AT_ONCE hashes and compares at once', async () => {
    const h = hasher();
    const stored = await h.hash('correct horse battery');
    const real = { hash: bcrypt.hash, compare: bcrypt.compare };
    let running = 0;
    let most = 0;
    const counted =
      <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        most = Math.max(most, ++running);
        try {
          return await work(...args);
        } finally {
          running--;
        }
      };
    // bcrypt's typings overload each function with a callback form: the promise form is meant.
    type Hash = (data: string, rounds: number) => Promise<string>;
    type Compare = (data: string, encrypted: string) => Promise<boolean>;
    (jest.spyOn(bcrypt, 'hash') as unknown as jest.MockedFunction<Hash>).mockImplementation(
      counted(real.hash as Hash),
    );
    (jest.spyOn(bcrypt, 'compare') as unknown as jest.MockedFunction<Compare>).mockImplementation(
      counted(real.compare as Compare),
    );
    const results = await Promise.all([
      ...Array.from({ length: HASHES_AT_ONCE + 3 }, () =>
        h.verify('correct horse battery', stored),
      ),
      h.verify('correct horse battery', undefined),
      h.hash('another password').then((made) => h.verify('another password', made)),
    ]);
    expect(results).toEqual([...Array<boolean>(HASHES_AT_ONCE + 3).fill(true), false, true]);
    expect(most).toBe(HASHES_AT_ONCE);
  });

  it.each([
    ['ASCII', 'a'.repeat(MAX_PASSWORD_BYTES), 'b'],
    ['multi-byte', 'é'.repeat(MAX_PASSWORD_BYTES / 2), 'é'],
  ])(
    'says no to a password over 72 bytes (%s), which bcrypt alone would truncate and accept',
    async (_, prefix, extra) => {
      const h = hasher();
      const hash = await h.hash(prefix);
      await expect(h.verify(prefix, hash)).resolves.toBe(true);
      await expect(bcrypt.compare(prefix + extra, hash)).resolves.toBe(true);
      await expect(h.verify(prefix + extra, hash)).resolves.toBe(false);
    },
  );
});
