import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/mongoose';
import { SchedulerRegistry } from '@nestjs/schedule';
import { type Model, trusted } from 'mongoose';
import { AppConfig, Clock } from '@app/common';
import { duplicateKeyFields } from '@app/database';
import { BIRTHDAYS_TODAY, type BirthdaysToday } from '../rooms.events';
import { RoomsService } from '../rooms.service';
import { SpotlightDay } from './spotlight-day.schema';

/** The interval's name in the SchedulerRegistry. */
export const SPOTLIGHT_INTERVAL = 'rooms.birthday-spotlight';

/** How often the day is checked: the announcement goes out at most this long after 00:00 UTC. */
export const SPOTLIGHT_PERIOD_MS = 30_000;

/** How long a claim may stay undone before another check takes the day over. */
export const SPOTLIGHT_LEASE_MS = 2 * 60_000;

/**
 * The birthday spotlight's announcement: once per UTC day (by the injected clock), the rooms whose
 * members have their birthday get `birthday:today` through the gateway. Every instance checks
 * at start and every SPOTLIGHT_PERIOD_MS, unless SCHEDULER=off; the first to insert the day's
 * document in `spotlight_days` announces it, the others find the day taken. An instance that
 * starts in the middle of a day nobody announced yet announces it then.
 */
@Injectable()
export class BirthdaySpotlight implements OnApplicationBootstrap {
  private readonly logger = new Logger(BirthdaySpotlight.name);
  private running = false;

  constructor(
    @InjectModel(SpotlightDay.name) private readonly days: Model<SpotlightDay>,
    private readonly rooms: RoomsService,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.get('SCHEDULER') === 'off') return;
    const timer = setInterval(() => void this.tick(), SPOTLIGHT_PERIOD_MS);
    // The registry clears it when the app shuts down.
    this.registry.addInterval(SPOTLIGHT_INTERVAL, timer);
    void this.tick();
  }

  /**
   * Announces today's birthdays unless some instance did or is doing it: answers how many rooms
   * were told (0 when the day was taken). A claim left undone longer than SPOTLIGHT_LEASE_MS (its
   * instance died, or the announcement failed) is taken over, so a day is announced at least
   * once, and more than once only after such a failure.
   */
  async announceToday(): Promise<number> {
    const now = this.clock.now();
    const day = now.toISOString().slice(0, 10);
    if (!(await this.claim(day, now))) return 0;
    const spotlights = await this.rooms.birthdaysOn(now);
    for (const spotlight of spotlights) {
      const event: BirthdaysToday = spotlight;
      this.events.emit(BIRTHDAYS_TODAY, event);
    }
    await this.days.updateOne({ _id: day }, { $set: { doneAt: this.clock.now() } });
    return spotlights.length;
  }

  /** Whether this instance now holds the day: a new claim, or one abandoned past the lease. */
  private async claim(day: string, now: Date): Promise<boolean> {
    try {
      await this.days.create({ _id: day, claimedAt: now, doneAt: null });
      return true;
    } catch (error) {
      if (duplicateKeyFields(error) === null) throw error;
    }
    const stale = new Date(now.getTime() - SPOTLIGHT_LEASE_MS);
    const taken = await this.days.updateOne(
      { _id: day, doneAt: null, claimedAt: trusted({ $lt: stale }) },
      { $set: { claimedAt: now } },
    );
    return taken.modifiedCount === 1;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const rooms = await this.announceToday();
      if (rooms > 0) this.logger.log(`Announced today's birthdays in ${rooms} rooms`);
    } catch (error) {
      this.logger.error(
        { error: String(error) },
        'The birthday spotlight failed; it is not retried today',
      );
    } finally {
      this.running = false;
    }
  }
}
