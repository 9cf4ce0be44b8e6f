import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { MessagesModule } from '@app/messages';
import { RoomsModule } from '@app/rooms';
import { SponsorsModule } from '@app/sponsors';
import { UsersModule } from '@app/users';
import { RealtimeCommands } from './realtime.commands';
import { RealtimeEmitter } from './realtime.emitter';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeRelay } from './realtime.relay';

@Module({
  imports: [AuthModule, MessagesModule, RoomsModule, SponsorsModule, UsersModule],
  providers: [RealtimeCommands, RealtimeEmitter, RealtimeGateway, RealtimeRelay],
  exports: [RealtimeEmitter],
})
export class RealtimeModule {}
