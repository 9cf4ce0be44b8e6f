import { CommandFactory } from 'nest-commander';
import { loadConfigOrExit, loadDotEnvFile } from '@app/common';
import { CliModule } from './cli.module';

const HELP_CODES = ['commander.helpDisplayed', 'commander.help', 'commander.version'];

function exitOnCommandError(error: Error & { code?: string }): never {
  if (error.code !== undefined && HELP_CODES.includes(error.code)) process.exit(0);
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

async function runCli(): Promise<void> {
  loadDotEnvFile();
  loadConfigOrExit();
  await CommandFactory.run(CliModule, {
    logger: ['warn', 'error'],
    errorHandler: exitOnCommandError,
    serviceErrorHandler: exitOnCommandError,
  });
}

void runCli();
