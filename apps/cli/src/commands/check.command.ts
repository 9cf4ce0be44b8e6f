import { Command, CommandRunner } from 'nest-commander';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { envSchema } from '@app/common';
import { RedisConnection } from '@app/redis';

@Command({
  name: 'check',
  description: 'Validate the configuration and ping the database (and Redis when REDIS_URL is set)',
})
export class CheckCommand extends CommandRunner {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly redis: RedisConnection,
  ) {
    super();
  }

  async run(): Promise<void> {
    const lines = Object.entries(envSchema).map(([name, spec]) => {
      if (process.env[name]?.trim()) return `  ${name}: set`;
      return `  ${name}: ${spec.defaultValue === undefined ? 'unset' : 'default'}`;
    });
    process.stdout.write(['Configuration is valid:', ...lines, ''].join('\n'));
    await this.connection.db?.admin().ping();
    process.stdout.write(`Database answers (${this.connection.name})\n`);
    if (this.redis.client !== undefined) {
      await this.redis.client.ping();
      process.stdout.write('Redis answers\n');
    }
  }
}
