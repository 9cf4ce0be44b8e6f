import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateDevelopmentSecret } from './access-token-secret';

describe('loadOrCreateDevelopmentSecret', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jwt-secret-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a random 256-bit secret readable by its owner only, then reuses it', async () => {
    const file = join(dir, 'nested', 'jwt-secret');
    const first = loadOrCreateDevelopmentSecret(file);
    expect(first).toEqual({
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown,
      created: true,
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateDevelopmentSecret(file)).toEqual({ secret: first.secret, created: false });
    const other = loadOrCreateDevelopmentSecret(join(dir, 'other'));
    expect(other.secret).not.toBe(first.secret);
  });

  it('refuses a file holding fewer than 32 characters instead of signing with it', async () => {
    const file = join(dir, 'jwt-secret');
    await writeFile(file, 'short\n');
    expect(() => loadOrCreateDevelopmentSecret(file)).toThrow(/holds no usable secret/);
  });
});
