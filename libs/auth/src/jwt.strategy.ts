import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig, type AuthUser, isObjectIdHex } from '@app/common';
import { jwtSecret } from './access-tokens';
import { SessionGate } from './sessions/session-gate';

/** Verifies the Bearer JWT (HS256 only, unexpired) and admits its session. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    config: AppConfig,
    private readonly gate: SessionGate,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: jwtSecret(config),
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: Record<string, unknown>): Promise<AuthUser | false> {
    const { sub, sid } = payload;
    if (!isObjectIdHex(sub) || !isObjectIdHex(sid)) return false;
    return this.gate.admit(sid, sub);
  }
}
