export {
  AVATAR_PATH,
  type AvatarSource,
  avatarUrlOf,
  avatarVersion,
  GENERATED_AVATAR_STYLE,
  initialsOf,
  uploadedAvatarHash,
} from './avatar-url';
export { ageOn, birthDateProblem, isCalendarDate } from './birth-date';
export { UpdateProfileDto } from './dto/update-profile.dto';
export {
  BioField,
  BirthDateField,
  DisplayNameField,
  EmailField,
  PasswordField,
} from './dto/user-fields';
export {
  toUserPrivate,
  deletedUserView,
  toUserPublic,
  UserPrivateDto,
  UserPublicDto,
} from './dto/user-views.dto';
export type { AdminUserChanges, NewUser, ProfileChanges, UserRecord } from './user.record';
export { UsersModule } from './users.module';
export { UsersService } from './users.service';
export {
  USER_ROOMS_MOVED,
  type UserRoomsMoved,
  USERS_CHANGED,
  type UsersChanged,
} from './users.events';
export type { AdminUserUpdate } from './users.repository';
export { prefixUpperBound, searchKey } from './search-key';
export {
  birthdayKeyOf,
  birthdayKeysOn,
  parseRoomKey,
  ROOM_KEY_PATTERN,
  ROOM_KINDS,
  type RoomKind,
  roomKeysOf,
  roomNumber,
  type RoomRef,
  roomsOf,
} from './room-keys';
