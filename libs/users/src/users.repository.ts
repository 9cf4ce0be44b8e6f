import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, trusted, Types } from 'mongoose';
import { DomainError } from '@app/common';
import {
  type DayTotal,
  duplicateKeyFields,
  newestFirst,
  type TimeSpan,
  totalsByUtcDay,
} from '@app/database';
import { type AvatarSource, avatarUrlOf } from './avatar-url';
import type { AdminUserChanges, NewUser, ProfileChanges, UserRecord } from './user.record';
import { roomKeysOf } from './room-keys';
import { prefixUpperBound, searchKey } from './search-key';
import { User } from './user.schema';

type UserDoc = User & { _id: Types.ObjectId };

/** A user before and after an admin's change. */
export interface AdminUserUpdate {
  before: UserRecord;
  after: UserRecord;
}

function prefixRange(prefix: string): Record<string, string> {
  const bound = prefixUpperBound(prefix);
  return bound === null ? { $gte: prefix } : { $gte: prefix, $lt: bound };
}

function avatarSourceOf(
  doc: Pick<UserDoc, '_id' | 'displayName' | 'banned' | 'avatarHash'>,
): AvatarSource {
  return {
    id: doc._id.toHexString(),
    displayName: doc.displayName,
    banned: doc.banned,
    avatarHash: doc.avatarHash ?? null,
  };
}

function toRecord(doc: UserDoc): UserRecord {
  return {
    id: doc._id.toHexString(),
    email: doc.email,
    passwordHash: doc.passwordHash,
    displayName: doc.displayName,
    bio: doc.bio,
    avatarUrl: avatarUrlOf(avatarSourceOf(doc)),
    birthDate: doc.birthDate,
    rooms: doc.rooms,
    role: doc.role,
    banned: doc.banned,
    invitedBy: doc.invitedBy?.toHexString() ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

@Injectable()
export class UsersRepository {
  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  async create(user: NewUser, createdAt: Date): Promise<UserRecord> {
    try {
      const created = await this.users.create({
        ...user,
        createdAt,
        displayNameKey: searchKey(user.displayName),
        rooms: roomKeysOf(user.birthDate),
        invitedBy: user.invitedBy === null ? null : new Types.ObjectId(user.invitedBy),
      });
      return toRecord(created.toObject<UserDoc>());
    } catch (error) {
      if (duplicateKeyFields(error) !== null) {
        throw DomainError.conflict('An account with this email already exists', [
          { field: 'email', message: 'is already registered' },
        ]);
      }
      throw error;
    }
  }

  async findById(id: string): Promise<UserRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.users.findById(id).lean<UserDoc>();
    return doc ? toRecord(doc) : null;
  }

  async findByIds(ids: readonly string[]): Promise<UserRecord[]> {
    const valid = ids.filter((id) => Types.ObjectId.isValid(id));
    const docs = await this.users.find({ _id: trusted({ $in: valid }) }).lean<UserDoc[]>();
    return docs.map(toRecord);
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const doc = await this.users.findOne({ email }).lean<UserDoc>();
    return doc ? toRecord(doc) : null;
  }

  async updateProfile(id: string, changes: ProfileChanges): Promise<UserRecord | null> {
    const key =
      changes.displayName === undefined ? {} : { displayNameKey: searchKey(changes.displayName) };
    return this.update(id, { ...changes, ...key });
  }

  async updateByAdmin(id: string, changes: AdminUserChanges): Promise<AdminUserUpdate | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const rooms = changes.birthDate === undefined ? {} : { rooms: roomKeysOf(changes.birthDate) };
    const before = await this.users
      .findByIdAndUpdate(id, { $set: { ...changes, ...rooms } }, { returnDocument: 'before' })
      .lean<UserDoc>();
    if (!before) return null;
    const after = await this.findById(id);
    return after ? { before: toRecord(before), after } : null;
  }

  /**
   * Undoes an admin's change whose role and ban are still the ones it set (a change made since is
   * kept): the fields of `changes` get their values of `before` back.
   */
  async undoAdminUpdate({ before, after }: AdminUserUpdate): Promise<void> {
    await this.users.updateOne(
      { _id: before.id, role: after.role, banned: after.banned },
      {
        $set: {
          role: before.role,
          banned: before.banned,
          birthDate: before.birthDate,
          rooms: before.rooms,
        },
      },
    );
  }

  /** Admins who are not banned: those who can still act as admins. */
  countActiveAdmins(): Promise<number> {
    return this.users.countDocuments({ role: 'admin', banned: false });
  }

  /**
   * Newest first, users whose email or display name starts with `query` (as searchKey makes it),
   * by ranges on indexed fields: never a pattern built from the input.
   */
  async search(query: string, cursor: string | undefined, limit: number): Promise<UserRecord[]> {
    const prefix = searchKey(query);
    const filter =
      prefix === ''
        ? {}
        : {
            $or: [
              { email: trusted(prefixRange(prefix)) },
              { displayNameKey: trusted(prefixRange(prefix)) },
            ],
          };
    const docs = await newestFirst(this.users, filter, cursor, limit).lean<UserDoc[]>();
    return docs.map(toRecord);
  }

  /** The users who signed up with an invite of `inviterId`, newest first, up to `limit`. */
  async invitedBy(inviterId: string, limit: number): Promise<UserRecord[]> {
    const docs = await this.users
      .find({ invitedBy: new Types.ObjectId(inviterId) })
      .sort({ _id: -1 })
      .limit(limit)
      .lean<UserDoc[]>();
    return docs.map(toRecord);
  }

  /** How many users (not banned) the room has. */
  countInRoom(roomKey: string): Promise<number> {
    return this.users.countDocuments({ rooms: roomKey, banned: false });
  }

  /** Every room key of a room's members (not banned): which other rooms they share. */
  async roomKeysAmong(roomKey: string): Promise<string[]> {
    return this.users.distinct('rooms', { rooms: roomKey, banned: false });
  }

  /** A room's members (not banned), newest account first, after `cursor`, up to `limit` + 1. */
  async membersOf(
    roomKey: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<UserRecord[]> {
    const docs = await newestFirst(
      this.users,
      { rooms: roomKey, banned: false },
      cursor,
      limit,
    ).lean<UserDoc[]>();
    return docs.map(toRecord);
  }

  /** Gives users stored before rooms existed their room keys (a no-op once done). */
  async backfillRooms(): Promise<number> {
    const docs = await this.users
      .find({ rooms: trusted({ $exists: false }) }, { birthDate: 1 })
      .lean<Pick<UserDoc, '_id' | 'birthDate'>[]>();
    if (docs.length === 0) return 0;
    await this.users.bulkWrite(
      docs.map((doc) => ({
        updateOne: {
          filter: { _id: doc._id },
          update: { $set: { rooms: roomKeysOf(doc.birthDate) } },
        },
      })),
    );
    return docs.length;
  }

  /** Gives users stored before admin search existed their display-name key (a no-op once done). */
  async backfillDisplayNameKeys(): Promise<number> {
    const docs = await this.users
      .find({ displayNameKey: trusted({ $exists: false }) }, { displayName: 1 })
      .lean<Pick<UserDoc, '_id' | 'displayName'>[]>();
    if (docs.length === 0) return 0;
    await this.users.bulkWrite(
      docs.map((doc) => ({
        updateOne: {
          filter: { _id: doc._id },
          update: { $set: { displayNameKey: searchKey(doc.displayName) } },
        },
      })),
    );
    return docs.length;
  }

  async findAvatarSource(id: string): Promise<AvatarSource | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.users
      .findById(id, { displayName: 1, banned: 1, avatarHash: 1 })
      .lean<Pick<UserDoc, '_id' | 'displayName' | 'banned' | 'avatarHash'>>();
    return doc ? avatarSourceOf(doc) : null;
  }

  /** Points the user at an uploaded avatar (or null: the generated one); the hash it replaced. */
  async setAvatarHash(
    id: string,
    avatarHash: string | null,
  ): Promise<{ previous: string | null } | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const before = await this.users
      .findByIdAndUpdate(id, { $set: { avatarHash } }, { returnDocument: 'before' })
      .lean<Pick<UserDoc, 'avatarHash'>>();
    return before ? { previous: before.avatarHash ?? null } : null;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.updateOne({ _id: id }, { $set: { passwordHash } });
  }

  async deleteById(id: string): Promise<void> {
    await this.users.deleteOne({ _id: id });
  }

  async countByRole(role: UserRecord['role']): Promise<number> {
    return this.users.countDocuments({ role });
  }

  async countAll(): Promise<number> {
    return this.users.countDocuments({});
  }

  /** Accounts created per UTC day of the span (days without any are absent). */
  signupsByDay(span: TimeSpan): Promise<DayTotal[]> {
    return totalsByUtcDay(this.users, 'createdAt', span);
  }

  private async update(id: string, changes: object): Promise<UserRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.users
      .findByIdAndUpdate(id, { $set: changes }, { returnDocument: 'after' })
      .lean<UserDoc>();
    return doc ? toRecord(doc) : null;
  }
}
