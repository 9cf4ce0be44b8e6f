import { inviteStatus } from './invite.record';

describe('invite status', () => {
  const now = new Date('2026-11-21T10:00:00Z');
  const later = new Date('2026-12-05T10:00:00Z');
  const base = { maxUses: 1, uses: 0, expiresAt: later, revokedAt: null };

  it('is active while unused, unexpired and unrevoked', () => {
    expect(inviteStatus(base, now)).toBe('active');
    expect(inviteStatus({ ...base, maxUses: 5, uses: 4 }, now)).toBe('active');
  });

  it('is expired from the instant expiresAt is reached', () => {
    expect(inviteStatus(base, later)).toBe('expired');
  });

  it('is used once no use is left, expired or not', () => {
    expect(inviteStatus({ ...base, uses: 1 }, now)).toBe('used');
    expect(inviteStatus({ ...base, uses: 1 }, later)).toBe('used');
  });

  it('is revoked whatever else holds', () => {
    expect(inviteStatus({ ...base, revokedAt: now }, later)).toBe('revoked');
  });
});
