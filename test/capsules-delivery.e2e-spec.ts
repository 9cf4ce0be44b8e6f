import { Injectable, Module } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { getConnectionToken } from '@nestjs/mongoose';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import {
  CAPSULE_DELIVERED,
  CAPSULE_DELIVERY_INTERVAL,
  CAPSULE_DELIVERY_PERIOD_MS,
  type CapsuleDelivered,
  CapsulesService,
} from '@app/capsules';
import { type EmbeddedMongo, startEmbeddedMongo } from '@app/embedded-mongo';
import { createTestApp, signUp, type TestApp } from './support';
import { closeAll } from './support/teardown';

const HOUR = 3_600_000;
const JWT_SECRET = 'capsules-delivery-e2e-access-token-secret-32-plus';

/** Records every capsule.delivered of its app from the first moment, the start-up pass included. */
@Injectable()
class DeliveredRecorder {
  readonly seen: CapsuleDelivered[] = [];
  private readonly waiting = new Map<string, (event: CapsuleDelivered) => void>();

  @OnEvent(CAPSULE_DELIVERED)
  recorded(event: CapsuleDelivered): void {
    this.seen.push(event);
    this.waiting.get(event.capsule.id)?.(event);
  }

  delivery(capsuleId: string): Promise<CapsuleDelivered> {
    const earlier = this.seen.find((event) => event.capsule.id === capsuleId);
    if (earlier) return Promise.resolve(earlier);
    return new Promise((resolve) => this.waiting.set(capsuleId, resolve));
  }
}

@Module({ providers: [DeliveredRecorder] })
class RecorderModule {}

describe('capsule delivery across instances and restarts', () => {
  let mongo: EmbeddedMongo | undefined;
  const apps: TestApp[] = [];

  /** An instance of the deployment on `database`; SCHEDULER and CAPSULE_COST as given. */
  async function instance(database: string, env: Record<string, string> = {}): Promise<TestApp> {
    if (mongo === undefined) throw new Error('the store did not start');
    const t = await createTestApp({
      env: { MONGO_URL: `${mongo.uri}${database}`, JWT_SECRET, ...env },
      sharedDatabase: true,
      imports: [RecorderModule],
    });
    apps.push(t);
    return t;
  }

  async function stop(t: TestApp): Promise<void> {
    apps.splice(apps.indexOf(t), 1);
    await t.close();
  }

  beforeAll(async () => {
    mongo = await startEmbeddedMongo();
  });

  afterAll(async () => {
    await closeAll(...apps.splice(0));
    await mongo?.stop();
  });

  it('two instances with schedulers deliver each of 200 due capsules exactly once', async () => {
    const database = `capsules-cluster-${randomUUID()}`;
    const [a, b] = [
      await instance(database, { CAPSULE_COST: '0' }),
      await instance(database, { CAPSULE_COST: '0' }),
    ];
    const owner = await signUp(a);
    const service = a.app.get(CapsulesService);
    const deliverAt = new Date(a.clock.now().getTime() + 1.01 * HOUR);
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      ids.add((await service.create(owner.id, { message: `capsule ${i}`, deliverAt })).id);
    }
    const events: { on: string; event: CapsuleDelivered }[] = [];
    for (const [name, t] of [['a', a] as const, ['b', b] as const]) {
      t.app.get(EventEmitter2).on(CAPSULE_DELIVERED, (event: CapsuleDelivered) => {
        events.push({ on: name, event });
      });
    }

    // Both schedulers' timers race as well as these explicit passes.
    a.clock.advance(2 * HOUR);
    b.clock.advance(2 * HOUR);
    await Promise.all([
      a.app.get(CapsulesService).deliverDue(),
      b.app.get(CapsulesService).deliverDue(),
      a.app.get(CapsulesService).deliverDue(),
      b.app.get(CapsulesService).deliverDue(),
    ]);

    const delivered = events.map(({ event }) => event.capsule.id);
    expect(delivered).toHaveLength(200);
    expect(new Set(delivered)).toEqual(ids);
    for (const { event } of events) {
      expect(event).toMatchObject({ ownerId: owner.id, capsule: { sealed: false } });
    }
    const stored = await a.app
      .get<Connection>(getConnectionToken())
      .collection('capsules')
      .find({})
      .toArray();
    expect(stored.map((c) => c.status as string)).toEqual(Array<string>(200).fill('delivered'));
    // Each capsule names the instance whose claim opened it: one per instance that announced any.
    const claimers = new Set(stored.map((c) => c.claimedBy as string));
    expect(claimers.size).toBe(new Set(events.map(({ on }) => on)).size);
    expect(
      stored.every((c) => typeof c.claimedBy === 'string' && c.claimedAt instanceof Date),
    ).toBe(true);
  }, 60_000);

  it('a capsule that fell due while the server was down opens at the next start, and not on an instance with SCHEDULER=off', async () => {
    const database = `capsules-restart-${randomUUID()}`;
    const first = await instance(database);
    // Sealed two hours "ago", due one hour ago: due by the real time the next instances start at.
    first.clock.advance(-2 * HOUR);
    const owner = await signUp(first);
    const capsule = await first.app.get(CapsulesService).create(owner.id, {
      message: 'sealed before the outage',
      deliverAt: new Date(first.clock.now().getTime() + 1.01 * HOUR),
    });
    await stop(first);

    const idle = await instance(database, { SCHEDULER: 'off' });
    expect(idle.app.get(SchedulerRegistry).doesExist('interval', CAPSULE_DELIVERY_INTERVAL)).toBe(
      false,
    );
    // No clock or event can show that nothing happens: wait out more than one period.
    await new Promise((resolve) => setTimeout(resolve, CAPSULE_DELIVERY_PERIOD_MS + 500));
    expect(idle.app.get(DeliveredRecorder).seen).toEqual([]);
    expect(await idle.app.get(CapsulesService).get(owner.id, capsule.id)).toMatchObject({
      sealed: true,
    });
    await stop(idle);

    const next = await instance(database);
    const { capsule: opened } = await next.app.get(DeliveredRecorder).delivery(capsule.id);
    expect(opened).toMatchObject({
      id: capsule.id,
      sealed: false,
      message: 'sealed before the outage',
    });
    expect(await next.app.get(CapsulesService).get(owner.id, capsule.id)).toEqual(opened);
    expect(next.app.get(DeliveredRecorder).seen).toHaveLength(1);
  }, 30_000);
});
