/** Every kind of admin change the audit log knows; a new admin action adds its name here. */
export const AUDIT_ACTIONS = [
  'coupon.create',
  'coupon.update',
  'coupon.delete',
  'invite.create',
  'sponsor.create',
  'sponsor.update',
  'sponsor.delete',
  'report.resolve',
  'message.delete',
  'user.update',
  'user.tokens',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditTarget {
  /** What kind of thing changed: `coupon`, `invite`, … */
  type: string;
  /** Its id, or null when it has none worth recording (an invite is known only by its code). */
  id: string | null;
}

/** An admin change: who, what, on which thing, and the change itself (never a secret). */
export interface NewAuditEntry {
  actorId: string;
  action: AuditAction;
  target: AuditTarget;
  details: Record<string, unknown>;
}

export interface AuditEntryRecord extends NewAuditEntry {
  id: string;
  createdAt: Date;
}
