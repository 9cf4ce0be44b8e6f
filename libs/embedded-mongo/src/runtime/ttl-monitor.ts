import type { Engine } from '../storage/engine';

/** The TTL pass of a running store, callable on demand (tests move time instead of waiting). */
export interface TtlMonitor {
  /**
   * Deletes now the documents whose TTL index says they expired at `at` (default: the store's
   * clock) and returns how many were deleted.
   */
  runOnce(at?: Date): number;
}

export interface TtlMonitorOptions {
  intervalSeconds: number;
  /** The time expiry dates are compared with. */
  clock: () => Date;
  /** Runs after each periodic pass (the store sweeps idle cursors there). */
  afterTick?: () => void;
}

/** The periodic TTL monitor: a pass every `intervalSeconds`, plus `runOnce` on demand. */
export class TtlMonitorTimer implements TtlMonitor {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly engine: Engine,
    private readonly options: TtlMonitorOptions,
  ) {
    this.timer = setInterval(() => {
      this.runOnce();
      options.afterTick?.();
    }, options.intervalSeconds * 1000);
    this.timer.unref();
  }

  runOnce(at: Date = this.options.clock()): number {
    return this.engine.expire(at.getTime());
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
