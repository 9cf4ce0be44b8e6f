import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@app/common';
import { CapsulesService } from './capsules.service';

/** The interval's name in the SchedulerRegistry. */
export const CAPSULE_DELIVERY_INTERVAL = 'capsules.delivery';

/** How often due capsules are looked for: a capsule opens at most this long after deliverAt. */
export const CAPSULE_DELIVERY_PERIOD_MS = 2000;

/**
 * Delivers due capsules once at start (those that fell due while the server was down) and then
 * every CAPSULE_DELIVERY_PERIOD_MS, unless SCHEDULER=off. Every instance may run it: the claims
 * make each capsule open once (CapsulesService.deliverDue).
 */
@Injectable()
export class CapsulesScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(CapsulesScheduler.name);
  private running = false;

  constructor(
    private readonly capsules: CapsulesService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.get('SCHEDULER') === 'off') return;
    const timer = setInterval(() => void this.tick(), CAPSULE_DELIVERY_PERIOD_MS);
    // The registry clears it when the app shuts down.
    this.registry.addInterval(CAPSULE_DELIVERY_INTERVAL, timer);
    void this.tick();
  }

  /** One pass, unless the previous tick's is still running (a backlog takes several periods). */
  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const opened = await this.capsules.deliverDue();
      if (opened > 0) this.logger.log(`Delivered ${opened} time capsules`);
    } catch (error) {
      this.logger.error({ error: String(error) }, 'Delivering due capsules failed; retrying soon');
    } finally {
      this.running = false;
    }
  }
}
