import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsersModule } from '@app/users';
import { Invite, InviteSchema } from './invite.schema';
// Declares what invites keep out of the logs, before the logger starts.
import './invites.log-redaction';
import { InvitesController } from './invites.controller';
import { InvitesRepository } from './invites.repository';
import { InvitesService } from './invites.service';

@Module({
  imports: [UsersModule, MongooseModule.forFeature([{ name: Invite.name, schema: InviteSchema }])],
  controllers: [InvitesController],
  providers: [InvitesRepository, InvitesService],
  exports: [InvitesService],
})
export class InvitesModule {}
