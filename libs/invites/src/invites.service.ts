import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, Clock, DomainError, type Page, timeAheadProblem, toPage } from '@app/common';
import type { TimeSpan } from '@app/database';
import { type UserPublicDto, UsersService } from '@app/users';
import { formatInviteCode, generateInviteCode, normalizeInviteCode } from './invite-code';
import {
  type ConsumedInvite,
  type InviteRecord,
  type InviteStatus,
  inviteStatus,
  type InviteView,
  type NewInvite,
} from './invite.record';
import { InvitesRepository } from './invites.repository';

const DAY_MS = 86_400_000;
/** Draws before giving up on a fresh code; at 2^58.9 codes a second draw is already rare. */
const CODE_DRAWS = 5;

export interface InviteListing extends InviteRecord {
  status: InviteStatus;
  /** Who signed up with the code, as public views (never email or birth date). */
  invitees: { user: UserPublicDto; usedAt: Date }[];
}

export function inviteInvalid(): DomainError {
  return new DomainError(
    'INVITE_INVALID',
    'This invite code is unknown, expired, revoked or already used',
  );
}

function toView(invite: InviteRecord): InviteView {
  return {
    code: formatInviteCode(invite.code),
    expiresAt: invite.expiresAt,
    maxUses: invite.maxUses,
  };
}

@Injectable()
export class InvitesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Invites');

  constructor(
    private readonly invites: InvitesRepository,
    private readonly users: UsersService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.invites.ready();
    const code = await this.ensureBootstrapInvite();
    if (code === null) return;
    this.logger.warn(
      `No admin account yet. Bootstrap admin invite: ${code} (sign up with it to become the admin)`,
    );
  }

  /**
   * A single-use code of the user's. Each unused code holds one of INVITES_ACTIVE_MAX slots under
   * a unique index, so parallel requests can never take more slots than there are.
   */
  async create(userId: string): Promise<InviteView> {
    const now = this.clock.now();
    const max = this.config.get('INVITES_ACTIVE_MAX');
    await this.invites.releaseExpiredSlots(userId, now);
    const held = new Set(await this.invites.heldSlots(userId));
    for (let slot = 0; slot < max; slot++) {
      if (held.has(slot)) continue;
      const created = await this.insertWithFreshCode({
        createdBy: userId,
        maxUses: 1,
        expiresAt: this.defaultExpiry(now),
        grantsAdmin: false,
        createdAt: now,
        slot,
      });
      if (created) return toView(created);
    }
    throw DomainError.conflict(
      `You already hold ${max} active invite codes: wait until one is used or expires, or revoke one`,
    );
  }

  /** An admin's code: several uses, its own expiry, outside any quota. */
  async createMultiUse(
    createdBy: string | null,
    input: { maxUses: number; expiresAt: Date },
  ): Promise<InviteView> {
    const now = this.clock.now();
    const problems = [];
    if (!Number.isInteger(input.maxUses) || input.maxUses < 1) {
      problems.push({ field: 'maxUses', message: 'must be an integer of at least 1' });
    }
    const expiryProblem = timeAheadProblem(input.expiresAt, now);
    if (expiryProblem !== undefined) problems.push({ field: 'expiresAt', message: expiryProblem });
    if (problems.length > 0) throw DomainError.validation(problems);
    const created = await this.insertWithFreshCode({
      ...input,
      createdBy,
      grantsAdmin: false,
      createdAt: now,
    });
    if (!created) throw new Error('An invite without a quota slot cannot lose one');
    return toView(created);
  }

  /** Takes one use of the code in one conditional update, or throws 400 INVITE_INVALID. */
  async consume(code: string): Promise<ConsumedInvite> {
    const normalized = normalizeInviteCode(code);
    const now = this.clock.now();
    const invite = normalized === null ? null : await this.invites.takeUse(normalized, now);
    if (!invite) throw inviteInvalid();
    const consumed: ConsumedInvite = {
      id: invite.id,
      code: formatInviteCode(invite.code),
      createdBy: invite.createdBy,
      grantsAdmin: invite.grantsAdmin,
    };
    if (invite.grantsAdmin && (await this.users.hasAdmin())) {
      await this.release(consumed);
      await this.invites.revokeUnusedBootstrap(now);
      throw inviteInvalid();
    }
    return consumed;
  }

  /** Gives back the use `consume` took (the signup failed before the account existed). */
  release(invite: ConsumedInvite): Promise<void> {
    return this.invites.giveUseBack(invite.id);
  }

  recordUse(invite: ConsumedInvite, userId: string): Promise<void> {
    return this.invites.addUse(invite.id, userId, this.clock.now());
  }

  /** Invite uses (signups through a code) recorded in the span. */
  countUsesIn(span: TimeSpan): Promise<number> {
    return this.invites.countUsesIn(span);
  }

  /** `code` is normalized. True only for a code someone could sign up with right now. */
  async isUsable(code: string): Promise<boolean> {
    const invite = await this.invites.findByCode(code);
    if (!invite || inviteStatus(invite, this.clock.now()) !== 'active') return false;
    return !invite.grantsAdmin || !(await this.users.hasAdmin());
  }

  /** `code` is normalized. 404 unless it is the user's; 409 once used up; revoking twice is fine. */
  async revoke(userId: string, code: string): Promise<void> {
    if (await this.invites.revoke(code, userId, this.clock.now())) return;
    const invite = await this.invites.findByCode(code);
    if (!invite || invite.createdBy !== userId)
      throw DomainError.notFound('You have no such invite code');
    if (invite.revokedAt !== null) return;
    throw DomainError.conflict('This invite code has already been used');
  }

  /**
   * The creator's account is deleted: codes with a use left stop working. Used ones stay, so who
   * joined through whom stays true for the invitees.
   */
  revokeAllOf(userId: string): Promise<void> {
    return this.invites.revokeAllOf(userId, this.clock.now());
  }

  async list(
    userId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<InviteListing>> {
    const page = toPage(await this.invites.page(userId, cursor, limit), limit);
    const inviteeIds = page.items.flatMap((invite) => invite.usedBy.map((use) => use.userId));
    const views = await this.users.publicViews(inviteeIds);
    const now = this.clock.now();
    const items = page.items.map((invite) => ({
      ...invite,
      status: inviteStatus(invite, now),
      invitees: invite.usedBy.flatMap((use) => {
        const user = views.get(use.userId);
        return user ? [{ user, usedAt: use.at }] : [];
      }),
    }));
    return { items, nextCursor: page.nextCursor };
  }

  /**
   * While no admin exists: the usable bootstrap invite (its account becomes the admin), made if
   * needed. It holds slot 0 of the system's quota, so two instances starting together share one.
   */
  async ensureBootstrapInvite(): Promise<string | null> {
    const now = this.clock.now();
    if (await this.users.hasAdmin()) {
      await this.invites.revokeUnusedBootstrap(now);
      return null;
    }
    const existing = await this.invites.findUsableBootstrap(now);
    if (existing) return formatInviteCode(existing.code);
    await this.invites.releaseExpiredSlots(null, now);
    const created = await this.insertWithFreshCode({
      createdBy: null,
      maxUses: 1,
      expiresAt: this.defaultExpiry(now),
      grantsAdmin: true,
      createdAt: now,
      slot: 0,
    });
    const invite = created ?? (await this.invites.findUsableBootstrap(now));
    return invite ? formatInviteCode(invite.code) : null;
  }

  /** The created invite, or null when its quota slot was taken meanwhile. */
  private async insertWithFreshCode(invite: Omit<NewInvite, 'code'>): Promise<InviteRecord | null> {
    for (let draw = 0; draw < CODE_DRAWS; draw++) {
      const result = await this.invites.insert({ ...invite, code: generateInviteCode() });
      if (result === 'slot-taken') return null;
      if (result !== 'code-taken') return result;
    }
    throw new Error('Could not draw an unused invite code');
  }

  private defaultExpiry(now: Date): Date {
    return new Date(now.getTime() + this.config.get('INVITE_TTL_DAYS') * DAY_MS);
  }
}
