import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Command, CommandRunner, Option } from 'nest-commander';
import { AccountFieldsDto, AccountsService } from '@app/auth';
import { AppConfig } from '@app/common';

interface Options {
  email?: string;
  displayName?: string;
  birthDate?: string;
  password?: string;
}

@Command({
  name: 'admin:create',
  description:
    'Create an admin account (password from --password or the ADMIN_PASSWORD environment variable)',
})
export class AdminCreateCommand extends CommandRunner {
  constructor(
    private readonly accounts: AccountsService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async run(_args: string[], options: Options): Promise<void> {
    const input = plainToInstance(AccountFieldsDto, {
      email: options.email,
      displayName: options.displayName,
      birthDate: options.birthDate,
      password: options.password ?? this.config.get('ADMIN_PASSWORD'),
    });
    const errors = await validate(input);
    if (errors.length > 0) {
      const lines = errors.map((e) => {
        const flag = e.property.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        return `  --${flag}: ${Object.values(e.constraints ?? {}).join('; ')}`;
      });
      throw new Error(['Cannot create the admin account:', ...lines].join('\n'));
    }
    const user = await this.accounts.create({
      email: input.email,
      password: input.password,
      displayName: input.displayName,
      birthDate: input.birthDate,
      role: 'admin',
      invitedBy: null,
    });
    process.stdout.write(`Admin account created: ${user.email} (id ${user.id})\n`);
  }

  @Option({ flags: '--email <email>', description: 'email address (stored lower-cased)' })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--display-name <name>', description: '2 to 40 characters' })
  parseDisplayName(value: string): string {
    return value;
  }

  @Option({ flags: '--birth-date <YYYY-MM-DD>', description: 'a real calendar date' })
  parseBirthDate(value: string): string {
    return value;
  }

  @Option({
    flags: '--password <password>',
    description: '8 to 72 bytes; prefer ADMIN_PASSWORD so it stays out of the shell history',
  })
  parsePassword(value: string): string {
    return value;
  }
}
