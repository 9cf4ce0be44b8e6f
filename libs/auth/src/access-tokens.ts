import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig, type Role } from '@app/common';

/** Used only outside production when JWT_SECRET is unset; announced in the log at start. */
export const DEVELOPMENT_JWT_SECRET = 'dobkonektor-development-secret-not-for-production';

export interface AccessClaims {
  sub: string;
  role: Role;
  sid: string;
}

export function jwtSecret(config: AppConfig): string {
  return config.get('JWT_SECRET') ?? DEVELOPMENT_JWT_SECRET;
}

@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {
    if (config.get('JWT_SECRET') === undefined) {
      new Logger('Auth').warn(
        'JWT_SECRET is unset: using the development secret (never in production)',
      );
    }
  }

  get ttlSeconds(): number {
    return this.config.get('ACCESS_TOKEN_TTL_SECONDS');
  }

  issue(claims: AccessClaims): string {
    return this.jwt.sign(claims, { expiresIn: this.ttlSeconds });
  }
}
