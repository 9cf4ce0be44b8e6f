export { Presence, type PresenceChange } from './presence/presence';
export { RedisPresence, type RedisPresenceOptions } from './presence/redis-presence';
export { ApiRoomKeyParam } from './rooms.controller';
export { RoomsModule } from './rooms.module';
export { type MemberRoom, type RoomMember, RoomsService, type RoomView } from './rooms.service';
export { BIRTHDAYS_TODAY, type BirthdaysToday } from './rooms.events';
export { BirthdaySpotlight } from './spotlight/birthday-spotlight';
