import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '@app/common';
import { AccessTokenAuthenticator } from './access-token-authenticator';
import { ACCESS_TOKEN_SECRET, verificationKey } from './access-token-secret';

/**
 * Verifies the Bearer JWT (HS256 only); its claims are then admitted by the rule every transport
 * shares (AccessTokenAuthenticator).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(ACCESS_TOKEN_SECRET) secret: string,
    private readonly authenticator: AccessTokenAuthenticator,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: verificationKey(secret),
      algorithms: ['HS256'],
      // Expiry is judged in validate(), by the injected clock, with iat and exp both required.
      ignoreExpiration: true,
    });
  }

  validate(payload: Record<string, unknown>): Promise<AuthUser> {
    return this.authenticator.admitClaims(payload);
  }
}
