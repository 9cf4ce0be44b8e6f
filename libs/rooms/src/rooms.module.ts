import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsersModule } from '@app/users';
import { presenceProvider } from './presence/presence.provider';
import { RoomsController } from './rooms.controller';
import { RoomsService } from './rooms.service';
import { BirthdaySpotlight } from './spotlight/birthday-spotlight';
import { SpotlightDay, SpotlightDaySchema } from './spotlight/spotlight-day.schema';

@Module({
  imports: [
    UsersModule,
    MongooseModule.forFeature([{ name: SpotlightDay.name, schema: SpotlightDaySchema }]),
  ],
  controllers: [RoomsController],
  providers: [presenceProvider, RoomsService, BirthdaySpotlight],
  exports: [RoomsService, presenceProvider, BirthdaySpotlight],
})
export class RoomsModule {}
