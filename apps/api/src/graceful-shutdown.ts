import type { INestApplication, LoggerService } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

const SWEEP_INTERVAL_MS = 50;
const EXIT_GRACE_MS = 5000;

/** Tells the client that this connection ends with this answer (if its head is not sent yet). */
function closeAfter(res: ServerResponse): void {
  if (res.headersSent) return;
  res.setHeader('Connection', 'close');
  res.shouldKeepAlive = false;
}

/**
 * Keeps the responses in flight so that, once shutdown begins, every answer still to be given —
 * in flight, or arriving on a keep-alive connection opened before the signal — says
 * `Connection: close`.
 */
function trackResponses(server: Server): { closeAll(): void } {
  const open = new Set<ServerResponse>();
  let closing = false;
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) {
      closeAfter(res);
      return;
    }
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  return {
    closeAll(): void {
      closing = true;
      for (const res of open) closeAfter(res);
      open.clear();
    },
  };
}

export function enableGracefulShutdown(
  app: INestApplication,
  timeoutMs: number,
  logger: LoggerService,
): void {
  const server = app.getHttpServer() as Server;
  const responses = trackResponses(server);
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: refusing new connections, finishing in-flight requests`);
    responses.closeAll();
    // Stops listening and closes idle keep-alive connections at once; the sweep closes those
    // that fall idle later, the cut ends the rest.
    server.close();
    server.closeIdleConnections();
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
