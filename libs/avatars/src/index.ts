export {
  AVATAR_CONTENT_TYPE,
  AVATAR_MAX_BYTES,
  AVATAR_MAX_PIXELS,
  AVATAR_SIZE,
} from './avatar-image';
export { AvatarsModule } from './avatars.module';
export { AvatarsService, type ServedAvatar } from './avatars.service';
