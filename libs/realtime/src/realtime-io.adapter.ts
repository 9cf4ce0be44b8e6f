import type { INestApplicationContext } from '@nestjs/common';
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

/**
 * The Socket.IO server of the API: the HTTP CORS origins (checked on the handshake too, since
 * browsers apply no CORS to WebSocket upgrades), the HTTP body limit per packet, and with
 * REDIS_URL the Redis adapter, so broadcasts and disconnects reach every instance.
 */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly redisClients: Redis[] = [];

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
      const pub = redis.duplicate();
      const sub = redis.duplicate();
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
