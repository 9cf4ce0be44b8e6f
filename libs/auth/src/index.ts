export { AccessTokenAuthenticator } from './access-token-authenticator';
export { ACCESS_TOKEN_SECRET, verificationKey } from './access-token-secret';
export { AccountsModule } from './accounts.module';
export { AccountsService, type AccountInput } from './accounts.service';
export { AccountFieldsDto } from './dto/auth.dto';
export { SESSIONS_REVOKED, type SessionsRevoked } from './auth.events';
export { AuthModule } from './auth.module';
export {
  PasswordResetsService,
  RESET_TOKEN_INVALID_MESSAGE,
} from './password-reset/password-resets.service';
export { REFRESH_COOKIE, REFRESH_COOKIE_PATH } from './refresh-cookie';
export type { SessionListing } from './sessions/sessions.repository';
export { SessionsService } from './sessions/sessions.service';
export { PasswordHasher } from './password-hasher';
