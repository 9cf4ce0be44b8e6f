import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig, Clock, type Role } from '@app/common';
import { ACCESS_TOKEN_SECRET } from './access-token-secret';

export interface AccessClaims {
  sub: string;
  role: Role;
  sid: string;
}

/** How far ahead of this server's clock a token's `iat` may be (another instance's clock). */
export const CLOCK_SKEW_SECONDS = 30;

export type LifetimeVerdict = 'valid' | 'expired' | 'invalid';

/**
 * Judges a verified token's `iat` and `exp` against the clock: both must be present, the token
 * unexpired, issued no later than now (within the skew), and live no longer than the TTL.
 */
export function judgeLifetime(
  payload: Readonly<Record<string, unknown>>,
  nowSeconds: number,
  ttlSeconds: number,
): LifetimeVerdict {
  const { iat, exp } = payload;
  if (!Number.isInteger(iat) || !Number.isInteger(exp)) return 'invalid';
  const issuedAt = iat as number;
  const expiresAt = exp as number;
  if (expiresAt <= nowSeconds) return 'expired';
  if (issuedAt > nowSeconds + CLOCK_SKEW_SECONDS) return 'invalid';
  if (expiresAt - issuedAt > ttlSeconds) return 'invalid';
  return 'valid';
}

@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(ACCESS_TOKEN_SECRET) private readonly secret: string,
  ) {}

  get ttlSeconds(): number {
    return this.config.get('ACCESS_TOKEN_TTL_SECONDS');
  }

  /** Signs the claims with `iat` from the injected clock and `exp` TTL seconds later. */
  issue(claims: AccessClaims): string {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    return this.jwt.sign(
      { ...claims, iat },
      { secret: this.secret, algorithm: 'HS256', expiresIn: this.ttlSeconds },
    );
  }

  lifetimeOf(payload: Readonly<Record<string, unknown>>): LifetimeVerdict {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    return judgeLifetime(payload, nowSeconds, this.ttlSeconds);
  }
}
