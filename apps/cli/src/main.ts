import { CommandFactory } from 'nest-commander';
import { loadConfigOrExit, loadDotEnvFile } from '@app/common';
import { CliModule } from './cli.module';
import { describeError } from './describe-error';

const HELP_CODES = ['commander.helpDisplayed', 'commander.help', 'commander.version'];

function exitOnCommandError(error: Error & { code?: string }): never {
  if (error.code !== undefined && HELP_CODES.includes(error.code)) process.exit(0);
  process.stderr.write(`${describeError(error)}\n`);
  process.exit(1);
}

async function runCli(): Promise<void> {
  loadDotEnvFile();
  const config = loadConfigOrExit();
  await CommandFactory.run(CliModule.forRoot(config), {
    logger: ['warn', 'error'],
    errorHandler: exitOnCommandError,
    serviceErrorHandler: exitOnCommandError,
  });
}

void runCli();
