import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import {
  DomainError,
  type AuthenticatedRequest,
  type AuthUser,
  IS_PUBLIC_KEY,
  type Role,
  ROLES_KEY,
} from '@app/common';

/**
 * The one global guard: every route needs a valid access token unless @Public(), and one of
 * the @Roles() when it names some.
 */
@Injectable()
export class AuthGuard extends PassportAuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    await super.canActivate(context);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (roles?.length && (!user || !roles.includes(user.role))) {
      throw DomainError.forbidden('This needs the admin role');
    }
    return true;
  }

  override handleRequest<T = AuthUser>(error: unknown, user: T | false, info: unknown): T {
    if (error) throw error instanceof Error ? error : DomainError.unauthorized();
    if (!user) {
      const expired = (info as { name?: string } | undefined)?.name === 'TokenExpiredError';
      throw DomainError.unauthorized(
        expired ? 'Access token expired' : 'A valid access token is required',
      );
    }
    return user;
  }
}
