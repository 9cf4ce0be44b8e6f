import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DomainError, type AuthUser, isObjectIdHex } from '@app/common';
import { ACCESS_TOKEN_SECRET } from './access-token-secret';
import { AccessTokens } from './access-tokens';
import { isWellFormedSessionId } from './sessions/session-tokens';
import { SessionGate } from './sessions/session-gate';

/**
 * Verifies the Bearer JWT (HS256 only), judges its lifetime by the injected clock, and admits its
 * session.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(ACCESS_TOKEN_SECRET) secret: string,
    private readonly accessTokens: AccessTokens,
    private readonly gate: SessionGate,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: secret,
      algorithms: ['HS256'],
      // Expiry is judged in validate(), by the injected clock, with iat and exp both required.
      ignoreExpiration: true,
    });
  }

  async validate(payload: Record<string, unknown>): Promise<AuthUser | false> {
    const lifetime = this.accessTokens.lifetimeOf(payload);
    if (lifetime === 'expired') throw DomainError.unauthorized('Access token expired');
    const { sub, sid } = payload;
    if (lifetime !== 'valid' || !isObjectIdHex(sub) || !isWellFormedSessionId(sid)) return false;
    return this.gate.admit(sid, sub);
  }
}
