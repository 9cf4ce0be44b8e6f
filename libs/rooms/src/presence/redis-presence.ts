import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@app/common';
import { LocalRooms } from './local-rooms';
import { Presence, type PresenceChange } from './presence';
import { BEAT, ENTER, EXIT, LEAVE, REAP, SYNC } from './redis-presence.scripts';

export interface RedisPresenceOptions {
  /** How long one Redis call may take before enter/exit/counts reject (default 5000 ms). */
  readonly commandTimeoutMs?: number;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 5000;
const SEPARATOR = '\u0000';
/** The share of the TTL after an instance's last beat at which sweepers count it dead. */
const DEAD_AFTER_TTL = 0.6;

/**
 * Presence shared through Redis by every instance (REDIS_URL set). Each instance knows its own
 * sockets (LocalRooms) and tells Redis only when a user's first socket in a room arrives here or
 * their last one leaves; Redis counts per room how many instances hold each user, so two tabs on
 * two instances are one person. An instance beats every TTL/3 and sweeps the others: the pairs of
 * an instance whose last beat is older than 60 % of the TTL (it missed about two beats: a crash)
 * are removed at the next sweep, so within the TTL of the crash.
 *
 * Calls go in order over one connection and are plain EVALs (no EVALSHA retry that could reorder
 * them), so a later call always sees the effect of an earlier one. A call whose outcome is unknown
 * (timeout, connection lost) marks the instance dirty; the next beat makes Redis match LocalRooms.
 */
export class RedisPresence extends Presence implements OnModuleInit, OnApplicationShutdown {
  private readonly local = new LocalRooms();
  private readonly logger = new Logger('Presence');
  private readonly id = randomUUID();
  private readonly base: string;
  private readonly zset: string;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private dirty = false;
  private failing = false;
  private lastFailure = '';
  private closed = false;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    ttlSeconds: number,
    options: RedisPresenceOptions = {},
  ) {
    super();
    this.base = `${prefix}presence:`;
    this.zset = `${this.base}instances`;
    this.ttlMs = ttlSeconds * 1000;
    this.timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  }

  /** This instance's id in Redis (its pairs live under `<prefix>presence:instance:<id>`). */
  get instanceId(): string {
    return this.id;
  }

  /** Starts beating and sweeping: at once, then every TTL/3. */
  onModuleInit(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.tick(), Math.max(1, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
    void this.tick();
  }

  /** Stops the timers and removes this instance's entries (other instances keep theirs). */
  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
    try {
      await this.call(LEAVE, [this.zset], [this.base, this.id]);
    } catch {
      this.logger.warn(`Could not remove this instance's presence: ${this.lastFailure}`);
    }
  }

  async enter(roomKey: string, userId: string, socketId: string): Promise<PresenceChange> {
    this.assertOpen();
    const added = this.local.add(roomKey, userId, socketId);
    if (added !== 'first') {
      try {
        return { onlineCount: await this.onlineCount(roomKey), changed: false };
      } catch (error) {
        if (added === 'more') this.local.remove(roomKey, userId, socketId);
        throw error;
      }
    }
    try {
      const [changed, onlineCount, unregistered] = await this.call<[number, number, number]>(
        ENTER,
        [this.pairsKey(), this.roomKey(roomKey), this.zset],
        [pairOf(roomKey, userId), userId, this.id],
      );
      // Not registered: the first call of this instance, or it was reaped while alive (a long
      // pause) and the next beat must put back every other pair held here too.
      if (unregistered === 1) this.dirty = true;
      return { onlineCount, changed: changed === 1 };
    } catch (error) {
      this.local.remove(roomKey, userId, socketId);
      this.dirty = true;
      throw error;
    }
  }

  async exit(roomKey: string, userId: string, socketId: string): Promise<PresenceChange> {
    this.assertOpen();
    const removed = this.local.remove(roomKey, userId, socketId);
    if (removed !== 'last') {
      return { onlineCount: await this.onlineCount(roomKey), changed: false };
    }
    try {
      const [changed, onlineCount] = await this.call<[number, number]>(
        EXIT,
        [this.pairsKey(), this.roomKey(roomKey)],
        [pairOf(roomKey, userId), userId],
      );
      return { onlineCount, changed: changed === 1 };
    } catch (error) {
      // The socket is gone either way; the next beat removes the pair if this call did not.
      this.dirty = true;
      throw error;
    }
  }

  counts(roomKeys: readonly string[]): Promise<number[]> {
    return this.bounded(Promise.all(roomKeys.map((key) => this.redis.hlen(this.roomKey(key)))));
  }

  async onlineAmong(roomKey: string, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const found = await this.bounded(this.redis.hmget(this.roomKey(roomKey), ...userIds));
    return new Set(userIds.filter((_, i) => found[i] !== null));
  }

  roomsOfSocket(socketId: string): string[] {
    return this.local.roomsOfSocket(socketId);
  }

  /** One beat, a resync when needed, one sweep; never two at once. */
  private tick(): Promise<void> {
    this.ticking ??= this.beatAndSweep().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async beatAndSweep(): Promise<void> {
    try {
      const unregistered = await this.call<number>(BEAT, [this.zset], [this.id]);
      if (this.closed) return;
      if (unregistered === 1 || this.dirty) await this.sync();
      await this.call(REAP, [this.zset], [this.base, Math.floor(this.ttlMs * DEAD_AFTER_TTL)]);
      if (this.failing) this.logger.log('Presence store reachable again');
      this.failing = false;
    } catch {
      if (!this.failing) this.logger.warn(`Presence heartbeat failed: ${this.lastFailure}`);
      this.failing = true;
    }
  }

  private async sync(): Promise<void> {
    this.dirty = false;
    const pairs = [...this.local.pairs()].map(([roomKey, userId]) => pairOf(roomKey, userId));
    try {
      await this.call(SYNC, [this.pairsKey(), this.zset], [this.base, this.id, ...pairs]);
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  private async onlineCount(roomKey: string): Promise<number> {
    return this.bounded(this.redis.hlen(this.roomKey(roomKey)));
  }

  private call<T = unknown>(
    script: string,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<T> {
    return this.bounded(this.redis.eval(script, keys.length, ...keys, ...args) as Promise<T>);
  }

  /**
   * The call's result, or SERVICE_UNAVAILABLE when Redis fails or does not answer in time (the
   * reason is logged, never shown to clients).
   */
  private bounded<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(this.unavailable(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      timer.unref();
    });
    const answer = promise.catch((error: unknown) => {
      throw this.unavailable(error instanceof Error ? error.message : String(error));
    });
    return Promise.race([answer, timeout]).finally(() => {
      clearTimeout(timer);
    });
  }

  private assertOpen(): void {
    if (this.closed) throw this.unavailable('this instance is shutting down');
  }

  private unavailable(reason: string): DomainError {
    this.lastFailure = reason;
    return new DomainError(
      'SERVICE_UNAVAILABLE',
      'Live presence is unavailable right now; try again shortly',
    );
  }

  private pairsKey(): string {
    return `${this.base}instance:${this.id}`;
  }

  private roomKey(roomKey: string): string {
    return `${this.base}room:${roomKey}`;
  }
}

function pairOf(roomKey: string, userId: string): string {
  return `${roomKey}${SEPARATOR}${userId}`;
}
