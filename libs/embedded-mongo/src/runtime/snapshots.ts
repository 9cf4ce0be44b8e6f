import type { Engine } from '../storage/engine';
import { lockDataFile, realDataPath } from '../storage/data-file-lock';
import {
  loadSnapshot,
  snapshotBuffers,
  writeSnapshot,
  writeSnapshotSync,
} from '../storage/persistence';
import { Journal } from './journal';

/**
 * Persistence of one engine to its data file: locked, loaded and its journal replayed at open;
 * every command's changes journaled before its reply (`commit`); a snapshot written atomically
 * every `intervalSeconds` when something changed (it compacts the journal), and a last time at
 * close. Without a data file every step does nothing.
 */
export class Snapshots {
  private savedVersion: number;
  private savedLsn: number;
  private saving: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly engine: Engine,
    private readonly dataFile: string | undefined,
    private readonly unlock: () => void,
    private readonly journal: Journal | undefined,
    snapshotLsn: number,
  ) {
    this.savedVersion = engine.version;
    this.savedLsn = snapshotLsn;
  }

  /**
   * Takes the data file's lock (on its real path), fills the (empty) engine from the snapshot
   * and replays the journal after it. A file that cannot be loaded releases the lock and throws,
   * leaving the file untouched.
   */
  static open(engine: Engine, dataFile: string | undefined): Snapshots {
    if (!dataFile) return new Snapshots(engine, undefined, () => undefined, undefined, 0);
    const unlock = lockDataFile(dataFile);
    try {
      const file = realDataPath(dataFile);
      const snapshotLsn = loadSnapshot(engine, file);
      const journal = Journal.open(engine, file, snapshotLsn);
      engine.onChange = (change) => {
        journal.record(change);
      };
      return new Snapshots(engine, file, unlock, journal, snapshotLsn);
    } catch (error) {
      unlock();
      throw error;
    }
  }

  /** Journals the changes of the command that just ran (write(2)); call before its reply. */
  commit(): void {
    this.journal?.commit();
  }

  /** Resolves once every committed change is on disk (`j: true`); at once without a journal. */
  durable(): Promise<void> {
    return this.journal ? this.journal.durable() : Promise.resolve();
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

  private changed(): boolean {
    return (
      this.engine.version !== this.savedVersion ||
      (this.journal !== undefined && this.journal.lsn !== this.savedLsn)
    );
  }

  /**
   * Writes the store when it changed since the last write, then deletes the journal files it
   * contains; a failure is a process warning (the journal files stay).
   */
  snapshot(): Promise<void> {
    const { dataFile, engine, journal } = this;
    if (!dataFile || !this.changed()) return this.saving;
    this.saving = this.saving
      .then(async () => {
        // Taken together, synchronously: no command runs between the rotation and the copy.
        const version = engine.version;
        const { lsn, obsolete } = journal ? journal.rotate() : { lsn: 0, obsolete: [] };
        const buffers = snapshotBuffers(engine, lsn);
        await writeSnapshot(buffers, dataFile);
        Journal.remove(obsolete);
        this.savedVersion = Math.max(this.savedVersion, version);
        this.savedLsn = Math.max(this.savedLsn, lsn);
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
    this.journal?.close();
    this.engine.onChange = undefined;
    this.unlock();
  }

  /** Waits for a write in progress, writes what changed since, and releases the data file. */
  async close(): Promise<void> {
    this.stopTimer();
    await this.saving;
    const { dataFile, journal } = this;
    journal?.close();
    this.engine.onChange = undefined;
    if (dataFile && this.changed()) {
      writeSnapshotSync(snapshotBuffers(this.engine, journal?.lsn ?? 0), dataFile);
    }
    if (journal) Journal.remove(journal.files());
    this.unlock();
  }
}
