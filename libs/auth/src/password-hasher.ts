import { Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { AppConfig } from '@app/common';

export const MAX_PASSWORD_BYTES = 72;

@Injectable()
export class PasswordHasher {
  /** Compared against when the email is unknown, so both failures take the same time. */
  private readonly decoy: Promise<string>;

  constructor(private readonly config: AppConfig) {
    this.decoy = bcrypt.hash('decoy password never matches', this.cost);
  }

  private get cost(): number {
    return this.config.get('BCRYPT_COST');
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  /**
   * Whether the password matches the hash; with no hash, spends the same time and says no. bcrypt
   * reads only 72 bytes, so a longer password (which signup refuses) never matches.
   */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const usable = hash !== undefined && Buffer.byteLength(password, 'utf8') <= MAX_PASSWORD_BYTES;
    const matches = await bcrypt.compare(password, usable ? hash : await this.decoy);
    return usable && matches;
  }
}
