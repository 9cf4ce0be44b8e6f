import type { Type } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit, loadDotEnvFile } from '@app/common';
import { configureApp } from './app.setup';
import { enableGracefulShutdown } from './graceful-shutdown';
import { DOCS_PATH } from './openapi';

export async function startServer(rootModule: Type): Promise<NestExpressApplication> {
  loadDotEnvFile();
  const config = loadConfigOrExit();
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  configureApp(app, config);
  enableGracefulShutdown(app, config.get('SHUTDOWN_TIMEOUT_MS'), logger);
  await app.listen(config.get('PORT'));
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.log(`Listening on http://localhost:${port} (API docs at /${DOCS_PATH})`);
  return app;
}

export function exitOnStartupFailure(error: unknown): never {
  process.stderr.write(
    `Startup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
