import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { RoomsModule } from '@app/rooms';
import { TokensModule } from '@app/tokens';
import { UsersModule } from '@app/users';
import { Message, MessageSchema, MessageSequence, MessageSequenceSchema } from './message.schema';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesRetention } from './messages.retention';
import { MessagesService } from './messages.service';

@Module({
  imports: [
    RoomsModule,
    TokensModule,
    UsersModule,
    MongooseModule.forFeature([
      { name: Message.name, schema: MessageSchema },
      { name: MessageSequence.name, schema: MessageSequenceSchema },
    ]),
  ],
  controllers: [MessagesController],
  providers: [MessagesRepository, MessagesRetention, MessagesService],
  exports: [MessagesService],
})
export class MessagesModule {}
