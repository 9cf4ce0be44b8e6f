import type { INestApplication, LoggerService } from '@nestjs/common';
import type { Server } from 'node:http';

const SWEEP_INTERVAL_MS = 50;
const EXIT_GRACE_MS = 5000;

export function enableGracefulShutdown(
  app: INestApplication,
  timeoutMs: number,
  logger: LoggerService,
): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: refusing new connections, finishing in-flight requests`);
    const server = app.getHttpServer() as Server;
    server.close();
    const sweep = setInterval(() => {
      server.closeIdleConnections();
    }, SWEEP_INTERVAL_MS);
    const cut = setTimeout(() => {
      logger.warn(`Requests still open after ${timeoutMs} ms: closing their connections`);
      server.closeAllConnections();
    }, timeoutMs);
    const abort = setTimeout(() => {
      logger.error('Shutdown did not finish in time');
      process.exit(1);
    }, timeoutMs + EXIT_GRACE_MS);
    abort.unref();
    await app.close();
    clearInterval(sweep);
    clearTimeout(cut);
    clearTimeout(abort);
    logger.log('Shutdown complete');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, (received) => void shutdown(received));
  }
}
