import type { DynamicModule } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { type AppConfig, loadConfigOrExit, loadDotEnvFile } from '@app/common';
import { configureApp } from './app.setup';
import { enableGracefulShutdown } from './graceful-shutdown';
import { DOCS_PATH } from './openapi';

/** HOST when set; otherwise loopback only, except in production, where every interface. */
export function listenHost(config: AppConfig): string {
  return config.get('HOST') ?? (config.get('NODE_ENV') === 'production' ? '0.0.0.0' : '127.0.0.1');
}

/**
 * Parses the configuration once, then builds the root module on it and serves it: `rootModule`
 * receives the parsed configuration (AppModule.forRoot).
 */
export async function startServer(
  rootModule: (config: AppConfig) => DynamicModule,
): Promise<NestExpressApplication> {
  loadDotEnvFile();
  const config = loadConfigOrExit();
  const app = await NestFactory.create<NestExpressApplication>(rootModule(config), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  configureApp(app, config);
  enableGracefulShutdown(app, config.get('SHUTDOWN_TIMEOUT_MS'), logger);
  await app.listen(config.get('PORT'), listenHost(config));
  const { address, port } = app.getHttpServer().address() as AddressInfo;
  const shown = address.includes(':') ? `[${address}]` : address;
  logger.log(`Listening on http://${shown}:${port} (API docs at /${DOCS_PATH})`);
  return app;
}

export function exitOnStartupFailure(error: unknown): never {
  process.stderr.write(
    `Startup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
