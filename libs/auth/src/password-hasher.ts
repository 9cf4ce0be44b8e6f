import { Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { availableParallelism } from 'node:os';
import { AppConfig, InTurn } from '@app/common';

export const MAX_PASSWORD_BYTES = 72;

/**
 * Hashes and compares running at once, the others wait their turn. The native bcrypt works on
 * libuv's thread pool, off the event loop, but each one keeps a core busy: with as many as there
 * are cores (4 logins on 2 cores), the event loop waits for CPU and every request slows down
 * (bench/login-under-load.bench.ts). One core stays free for it; the same logins still complete,
 * as the cores that were shared now take them one after another.
 */
export const HASHES_AT_ONCE = Math.max(1, availableParallelism() - 1);

@Injectable()
export class PasswordHasher {
  /** Compared against when the email is unknown, so both failures take the same time. */
  private readonly decoy: Promise<string>;
  private readonly hashes = new InTurn(HASHES_AT_ONCE);

  constructor(private readonly config: AppConfig) {
    this.decoy = this.hashes.run(() => bcrypt.hash('decoy password never matches', this.cost));
  }

  private get cost(): number {
    return this.config.get('BCRYPT_COST');
  }

  /** Hashed by the native `bcrypt` on libuv's thread pool, never on the event loop. */
  hash(password: string): Promise<string> {
    return this.hashes.run(() => bcrypt.hash(password, this.cost));
  }

  /**
   * Whether the password matches the hash; with no hash, spends the same time and says no. bcrypt
   * reads only 72 bytes, so a longer password (which signup refuses) never matches.
   */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const usable = hash !== undefined && Buffer.byteLength(password, 'utf8') <= MAX_PASSWORD_BYTES;
    const against = usable ? hash : await this.decoy;
    const matches = await this.hashes.run(() => bcrypt.compare(password, against));
    return usable && matches;
  }
}
