/** How often one user's typing notice in one room is passed on. */
export const TYPING_INTERVAL_MS = 2000;

const MAX_ENTRIES = 100_000;

/**
 * Passes at most one typing notice per user and room every TYPING_INTERVAL_MS (per instance: a
 * user's tabs on two instances may each pass one). Time comes from the caller's clock.
 */
export class TypingThrottle {
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly intervalMs = TYPING_INTERVAL_MS) {}

  /** True when this notice should go out (and records it), false when it is too soon. */
  pass(userId: string, roomKey: string, nowMs: number): boolean {
    const key = `${userId} ${roomKey}`;
    const last = this.lastSent.get(key);
    if (last !== undefined && nowMs - last < this.intervalMs && nowMs >= last) return false;
    if (this.lastSent.size >= MAX_ENTRIES) this.forgetOlderThan(nowMs - this.intervalMs);
    this.lastSent.set(key, nowMs);
    return true;
  }

  private forgetOlderThan(cutoffMs: number): void {
    for (const [key, at] of this.lastSent) if (at <= cutoffMs) this.lastSent.delete(key);
    if (this.lastSent.size >= MAX_ENTRIES) this.lastSent.clear();
  }
}
