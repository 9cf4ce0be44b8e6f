import { type INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { IncomingMessage } from 'node:http';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '@app/common';
import { RedisConnection } from '@app/redis';

/** Same-origin pages, non-browser clients (no Origin) and the configured CORS origins. */
export function originAllowed(req: IncomingMessage, origins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (origins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The commands the Redis adapter sends without handling their failure. */
const UNGUARDED_COMMANDS = ['publish', 'subscribe', 'psubscribe'] as const;

/**
 * A connection of the Redis adapter whose failures are logged, never left unhandled: the adapter
 * neither listens for errors nor catches its publish and subscribe calls, so with Redis down each
 * broadcast would be an unhandled rejection (a crash under Node's default).
 */
function adapterConnection(redis: Redis, role: string, logger: Logger): Redis {
  const client = redis.duplicate();
  let failing = false;
  const report = (error: unknown): void => {
    if (failing) return;
    failing = true;
    logger.warn(
      `Socket.IO Redis adapter (${role}): ${String(error)}; broadcasts stay local until Redis answers`,
    );
  };
  client.on('error', report);
  client.on('ready', () => {
    failing = false;
  });
  for (const command of UNGUARDED_COMMANDS) {
    const send = client[command].bind(client) as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(client, command, {
      value: (...args: unknown[]) => {
        const reply = send(...args);
        reply.catch(report);
        return reply;
      },
    });
  }
  return client;
}

/**
 * The Socket.IO server of the API: the HTTP CORS origins (checked on the handshake too, since
 * browsers apply no CORS to WebSocket upgrades), the HTTP body limit per packet, and with
 * REDIS_URL the Redis adapter, so broadcasts and disconnects reach every instance.
 */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly redisClients: Redis[] = [];
  private readonly logger = new Logger('Realtime');

  constructor(
    private readonly app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const origins = this.config.get('CORS_ORIGINS');
    const server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      maxHttpBufferSize: this.config.get('BODY_LIMIT'),
      cors: origins.length > 0 ? { origin: [...origins], credentials: true } : undefined,
      allowRequest: (req: IncomingMessage, callback: (error: null, allowed: boolean) => void) => {
        callback(null, originAllowed(req, origins));
      },
    }) as Server;
    const redis = this.app.get(RedisConnection, { strict: false }).client;
    if (redis !== undefined) {
      const pub = adapterConnection(redis, 'publisher', this.logger);
      const sub = adapterConnection(redis, 'subscriber', this.logger);
      this.redisClients.push(pub, sub);
      server.adapter(
        createAdapter(pub, sub, { key: `${this.config.get('REDIS_KEY_PREFIX')}socket.io` }),
      );
    }
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await Promise.all(
      this.redisClients.splice(0).map(async (client) => {
        if (client.status === 'ready') await client.quit();
        else client.disconnect();
      }),
    );
  }
}
