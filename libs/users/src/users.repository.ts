import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, trusted, Types } from 'mongoose';
import { DomainError } from '@app/common';
import { duplicateKeyFields, newestFirst } from '@app/database';
import type { AdminUserChanges, NewUser, ProfileChanges, UserRecord } from './user.record';
import { roomKeysOf } from './room-keys';
import { User } from './user.schema';

type UserDoc = User & { _id: Types.ObjectId };

function toRecord(doc: UserDoc): UserRecord {
  return {
    id: doc._id.toHexString(),
    email: doc.email,
    passwordHash: doc.passwordHash,
    displayName: doc.displayName,
    bio: doc.bio,
    avatarUrl: doc.avatarUrl,
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

  async create(user: NewUser): Promise<UserRecord> {
    try {
      const created = await this.users.create({
        ...user,
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
    return this.update(id, changes);
  }

  async updateByAdmin(id: string, changes: AdminUserChanges): Promise<UserRecord | null> {
    const rooms = changes.birthDate === undefined ? {} : { rooms: roomKeysOf(changes.birthDate) };
    return this.update(id, { ...changes, ...rooms });
  }

  /** How many users (not banned) the room has. */
  countInRoom(roomKey: string): Promise<number> {
    return this.users.countDocuments({ rooms: roomKey, banned: false });
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

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.updateOne({ _id: id }, { $set: { passwordHash } });
  }

  async deleteById(id: string): Promise<void> {
    await this.users.deleteOne({ _id: id });
  }

  async countByRole(role: UserRecord['role']): Promise<number> {
    return this.users.countDocuments({ role });
  }

  private async update(id: string, changes: object): Promise<UserRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.users
      .findByIdAndUpdate(id, { $set: changes }, { returnDocument: 'after' })
      .lean<UserDoc>();
    return doc ? toRecord(doc) : null;
  }
}
