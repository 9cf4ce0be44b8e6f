import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { InvitesModule } from '@app/invites';
import { MailModule } from '@app/mail';
import { AccessTokenAuthenticator } from './access-token-authenticator';
import { accessTokenSecretProvider } from './access-token-secret';
import { AccessTokens } from './access-tokens';
import { AccountsModule } from './accounts.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
// Declares what auth keeps out of the logs, before the logger starts.
import './auth.log-redaction';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { LoginAttempts } from './login-attempts';
import { PasswordResetController } from './password-reset/password-reset.controller';
import { PasswordReset, PasswordResetSchema } from './password-reset/password-reset.schema';
import { PasswordResetsRepository } from './password-reset/password-resets.repository';
import { PasswordResetsService } from './password-reset/password-resets.service';
import { SessionGate } from './sessions/session-gate';
import { Session, SessionSchema } from './sessions/session.schema';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';

@Module({
  imports: [
    AccountsModule,
    InvitesModule,
    MailModule,
    PassportModule,
    JwtModule.register({
      signOptions: { algorithm: 'HS256' },
      verifyOptions: { algorithms: ['HS256'] },
    }),
    MongooseModule.forFeature([
      { name: Session.name, schema: SessionSchema },
      { name: PasswordReset.name, schema: PasswordResetSchema },
    ]),
  ],
  controllers: [AuthController, PasswordResetController],
  providers: [
    AccessTokenAuthenticator,
    accessTokenSecretProvider,
    AccessTokens,
    AuthService,
    JwtStrategy,
    LoginAttempts,
    PasswordResetsRepository,
    PasswordResetsService,
    SessionGate,
    SessionsRepository,
    SessionsService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AccessTokenAuthenticator, PasswordResetsService, SessionsService],
})
export class AuthModule {}
