import { Module } from '@nestjs/common';
import { UsersModule } from '@app/users';
import { presenceProvider } from './presence/presence.provider';
import { RoomsController } from './rooms.controller';
import { RoomsService } from './rooms.service';

@Module({
  imports: [UsersModule],
  controllers: [RoomsController],
  providers: [presenceProvider, RoomsService],
  exports: [RoomsService, presenceProvider],
})
export class RoomsModule {}
