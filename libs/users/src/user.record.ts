import type { Role } from '@app/common';

/** A user as the rest of the application sees it: a plain object, ids as hex strings. */
export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  birthDate: string;
  /** The day, date and year room keys of the birth date. */
  rooms: string[];
  role: Role;
  banned: boolean;
  invitedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  displayName: string;
  birthDate: string;
  role: Role;
  invitedBy: string | null;
}

export interface ProfileChanges {
  displayName?: string;
  bio?: string;
}

export interface AdminUserChanges {
  role?: Role;
  banned?: boolean;
  birthDate?: string;
}
