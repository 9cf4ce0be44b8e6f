import { Injectable } from '@nestjs/common';
import { type AuthUser, Clock, requireTimeAhead } from '@app/common';
import { InvitesService } from '@app/invites';
import { AuditService } from '../audit/audit.service';
import type { CreateMultiUseInviteDto, MultiUseInviteDto } from './admin-invites.dto';

/** Multi-use invite codes for admins (for an event, a community), audited as invite.create. */
@Injectable()
export class AdminInvitesService {
  constructor(
    private readonly invites: InvitesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async createMultiUse(
    actor: AuthUser,
    input: CreateMultiUseInviteDto,
  ): Promise<MultiUseInviteDto> {
    this.checkExpiry(input.expiresAt);
    const invite = await this.invites.createMultiUse(actor.id, {
      maxUses: input.maxUses,
      expiresAt: input.expiresAt,
    });
    await this.audit.record({
      actorId: actor.id,
      action: 'invite.create',
      target: { type: 'invite', id: null },
      details: { maxUses: invite.maxUses, expiresAt: invite.expiresAt },
    });
    return {
      code: invite.code,
      expiresAt: invite.expiresAt.toISOString(),
      maxUses: invite.maxUses,
    };
  }

  private checkExpiry(expiresAt: Date): void {
    requireTimeAhead('expiresAt', expiresAt, this.clock.now(), { atMostYears: 1 });
  }
}
