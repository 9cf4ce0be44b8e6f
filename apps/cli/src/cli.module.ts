import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AccountsModule } from '@app/auth';
import { CommonModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { RedisModule } from '@app/redis';
import { AdminCreateCommand } from './commands/admin-create.command';
import { CheckCommand } from './commands/check.command';

@Module({
  imports: [
    CommonModule,
    EventEmitterModule.forRoot(),
    DatabaseModule,
    RedisModule,
    AccountsModule,
  ],
  providers: [CheckCommand, AdminCreateCommand],
})
export class CliModule {}
