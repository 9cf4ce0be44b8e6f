import type { Engine } from '../storage/engine';
import { lockDataFile } from '../storage/data-file-lock';
import { loadSnapshot, writeSnapshot, writeSnapshotSync } from '../storage/persistence';

/**
 * Snapshot persistence of one engine to its data file: locked and loaded at open, written
 * atomically every `intervalSeconds` when something changed, and a last time at close. Without a
 * data file every step does nothing.
 */
export class Snapshots {
  private savedVersion: number;
  private saving: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly engine: Engine,
    private readonly dataFile: string | undefined,
    private readonly unlock: () => void,
  ) {
    this.savedVersion = engine.version;
  }

  /**
   * Takes the data file's lock and fills the (empty) engine from it. A file that cannot be loaded
   * releases the lock and throws, leaving the file untouched.
   */
  static open(engine: Engine, dataFile: string | undefined): Snapshots {
    const unlock = dataFile ? lockDataFile(dataFile) : () => undefined;
    try {
      if (dataFile) loadSnapshot(engine, dataFile);
    } catch (error) {
      unlock();
      throw error;
    }
    return new Snapshots(engine, dataFile, unlock);
  }

  /** Starts the periodic snapshot (the timer does not keep the process alive). */
  startTimer(intervalSeconds: number): void {
    this.timer = setInterval(() => void this.snapshot(), intervalSeconds * 1000);
    this.timer.unref();
  }

  stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Writes the store when it changed since the last write; a failure is a process warning. */
  snapshot(): Promise<void> {
    const { dataFile, engine } = this;
    if (!dataFile || engine.version === this.savedVersion) return this.saving;
    const version = engine.version;
    this.saving = this.saving
      .then(() => writeSnapshot(engine, dataFile))
      .then(() => {
        this.savedVersion = Math.max(this.savedVersion, version);
      })
      .catch((error: unknown) => {
        process.emitWarning(
          `embedded-mongo: snapshot to ${dataFile} failed: ${(error as Error).message}`,
        );
      });
    return this.saving;
  }

  /** Releases the data file without writing it (a start that failed after open). */
  release(): void {
    this.stopTimer();
    this.unlock();
  }

  /** Waits for a write in progress, writes what changed since, and releases the data file. */
  async close(): Promise<void> {
    this.stopTimer();
    await this.saving;
    if (this.dataFile && this.engine.version !== this.savedVersion) {
      writeSnapshotSync(this.engine, this.dataFile);
    }
    this.unlock();
  }
}
