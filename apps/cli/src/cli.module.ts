import { Module } from '@nestjs/common';
import { AppConfigModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { RedisModule } from '@app/redis';
import { CheckCommand } from './commands/check.command';

@Module({
  imports: [AppConfigModule, DatabaseModule, RedisModule],
  providers: [CheckCommand],
})
export class CliModule {}
