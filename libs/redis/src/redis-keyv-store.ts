import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

/**
 * A Keyv store (what cache-manager v6+ stores through) on the app's one ioredis connection, its
 * keys under `prefix`. It never closes the connection: RedisConnection owns it. Values are the
 * strings Keyv serialized; TTLs are milliseconds, kept by Redis (PX).
 */
export class RedisKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = {};
  namespace?: string;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const value = await this.client.get(this.prefix + key);
    return (value ?? undefined) as StoredData<Value> | undefined;
  }

  async set(key: string, value: string, ttl?: number): Promise<void> {
    if (ttl !== undefined && ttl > 0) await this.client.set(this.prefix + key, value, 'PX', ttl);
    else await this.client.set(this.prefix + key, value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.client.del(this.prefix + key)) > 0;
  }

  /** Removes this store's keys (of its namespace when it has one), never anything else. */
  async clear(): Promise<void> {
    const pattern = `${this.prefix}${this.namespace === undefined ? '' : `${this.namespace}:`}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 100);
      if (keys.length > 0) await this.client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
