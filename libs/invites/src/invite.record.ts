export const INVITE_STATUSES = ['active', 'used', 'expired', 'revoked'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

export interface InviteUse {
  userId: string;
  at: Date;
}

/** An invite as the rest of the module sees it: a plain object, `code` in its stored form. */
export interface InviteRecord {
  id: string;
  code: string;
  createdBy: string | null;
  maxUses: number;
  uses: number;
  usedBy: InviteUse[];
  expiresAt: Date;
  revokedAt: Date | null;
  grantsAdmin: boolean;
  createdAt: Date;
}

export interface NewInvite {
  code: string;
  createdBy: string | null;
  maxUses: number;
  expiresAt: Date;
  grantsAdmin: boolean;
  createdAt: Date;
  /** Quota slot (0..max-1) the code holds while unused; absent for codes outside any quota. */
  slot?: number;
}

/** One use taken by `InvitesService.consume`; `code` is in its display form. */
export interface ConsumedInvite {
  id: string;
  code: string;
  createdBy: string | null;
  grantsAdmin: boolean;
}

/** A freshly created code; `code` is in its display form. */
export interface InviteView {
  code: string;
  expiresAt: Date;
  maxUses: number;
}

type StatusFields = Pick<InviteRecord, 'maxUses' | 'uses' | 'expiresAt' | 'revokedAt'>;

/** Revoked wins over used, used over expired: a code's history reads in that order. */
export function inviteStatus(invite: StatusFields, now: Date): InviteStatus {
  if (invite.revokedAt !== null) return 'revoked';
  if (invite.uses >= invite.maxUses) return 'used';
  if (invite.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}
