export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: set on the request by the global auth guard from a verified access token. */
export interface AuthUser {
  readonly id: string;
  readonly role: Role;
  readonly sessionId: string;
}
