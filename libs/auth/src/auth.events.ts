/** Emitted when sessions end (logout, password change, ban, token reuse): their access tokens stop working. */
export const SESSIONS_REVOKED = 'auth.sessions-revoked';

export interface SessionsRevoked {
  userId: string;
  sessionIds: string[];
  reason: string;
}
