import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AccountsModule } from '@app/auth';
import { type AppConfig, CommonModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { RedisModule } from '@app/redis';
import { AdminCreateCommand } from './commands/admin-create.command';
import { CheckCommand } from './commands/check.command';

/** The CLI: the API's configuration, database and account modules, and the commands. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        CommonModule.forRoot(config),
        EventEmitterModule.forRoot(),
        DatabaseModule,
        RedisModule,
        AccountsModule,
      ],
      providers: [CheckCommand, AdminCreateCommand],
    };
  }
}
