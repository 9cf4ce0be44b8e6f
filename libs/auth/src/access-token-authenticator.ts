import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { type AuthUser, DomainError, isObjectIdHex } from '@app/common';
import { ACCESS_TOKEN_SECRET, verificationKey } from './access-token-secret';
import { AccessTokens } from './access-tokens';
import { SessionGate } from './sessions/session-gate';
import { isWellFormedSessionId } from './sessions/session-tokens';

const INVALID = 'A valid access token is required';

/**
 * The one rule that turns an access token into a caller, for every transport: HS256 with the
 * access-token secret, a lifetime judged by the injected clock, and a session still open for a user
 * who exists and is not banned. The HTTP guard (through JwtStrategy) and the socket handshake share
 * it.
 */
@Injectable()
export class AccessTokenAuthenticator {
  private readonly key: Buffer;

  constructor(
    private readonly jwt: JwtService,
    @Inject(ACCESS_TOKEN_SECRET) secret: string,
    private readonly accessTokens: AccessTokens,
    private readonly gate: SessionGate,
  ) {
    this.key = verificationKey(secret);
  }

  /** Verifies a raw token and admits its session; throws UNAUTHORIZED or ACCOUNT_BANNED. */
  async authenticate(token: unknown): Promise<AuthUser> {
    if (typeof token !== 'string' || token.length === 0) throw DomainError.unauthorized(INVALID);
    let payload: unknown;
    try {
      // Expiry is judged by admitClaims, by the injected clock.
      payload = this.jwt.verify(token, {
        secret: this.key,
        algorithms: ['HS256'],
        ignoreExpiration: true,
      });
    } catch {
      throw DomainError.unauthorized(INVALID);
    }
    if (typeof payload !== 'object' || payload === null) throw DomainError.unauthorized(INVALID);
    return this.admitClaims(payload as Record<string, unknown>);
  }

  /** The claims of a token whose signature is verified: lifetime, shape, then the session. */
  async admitClaims(payload: Readonly<Record<string, unknown>>): Promise<AuthUser> {
    const lifetime = this.accessTokens.lifetimeOf(payload);
    if (lifetime === 'expired') throw DomainError.unauthorized('Access token expired');
    const { sub, sid } = payload;
    if (lifetime !== 'valid' || !isObjectIdHex(sub) || !isWellFormedSessionId(sid)) {
      throw DomainError.unauthorized(INVALID);
    }
    return this.gate.admit(sid, sub);
  }
}
