import { Doc } from './bson/values';
import { ErrorCode } from './errors';
import { CommandContext, ServerState } from './commands/context';
import { CursorStore } from './commands/cursors';
import { runCommand } from './commands/dispatch';
import { Connections } from './runtime/connections';
import { listen } from './runtime/listener';
import { Snapshots } from './runtime/snapshots';
import { TtlMonitor, TtlMonitorTimer } from './runtime/ttl-monitor';
import { Engine } from './storage/engine';
import { serveConnection } from './wire/connection';

export type { TtlMonitor } from './runtime/ttl-monitor';

export interface EmbeddedMongoOptions {
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Interface to bind; loopback unless given explicitly. */
  host?: string;
  /** BSON snapshot file loaded at start and written on an interval and at stop. */
  dataFile?: string;
  /** How often the TTL monitor deletes expired documents. */
  ttlMonitorSeconds?: number;
  /** How often a changed store is snapshotted to dataFile. */
  snapshotSeconds?: number;
  /**
   * The time the TTL monitor compares expiry dates with (default: the system clock). Tests pass
   * their own clock, move it, and call `ttlMonitor.runOnce()` instead of waiting.
   */
  clock?: () => Date;
}

export interface EmbeddedMongo {
  /** mongodb://host:port/ */
  uri: string;
  port: number;
  /** The TTL monitor's pass, to run now (it also runs every ttlMonitorSeconds). */
  ttlMonitor: TtlMonitor;
  /** Closes connections, writes the data file (when set) and releases the port. */
  stop(): Promise<void>;
}

const DEFAULT_SNAPSHOT_SECONDS = 5;
const DEFAULT_TTL_MONITOR_SECONDS = 60;

/** `writeConcern: { j: true }`: the reply waits until the journal is on disk. */
function wantsJournal(command: Doc): boolean {
  return Boolean((command.writeConcern as Doc | null | undefined)?.j);
}

function journalError(reply: Doc, error: unknown): Doc {
  return {
    ...reply,
    writeConcernError: { code: ErrorCode.InternalError, errmsg: (error as Error).message },
  };
}

function uriHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the in-process MongoDB-wire-compatible server: the data file's snapshots, the TCP
 * listener with its connection bookkeeping, and the TTL monitor, around one engine.
 */
export async function startEmbeddedMongo(
  options: EmbeddedMongoOptions = {},
): Promise<EmbeddedMongo> {
  const host = options.host ?? '127.0.0.1';
  const engine = new Engine();
  const snapshots = Snapshots.open(engine, options.dataFile);

  const state: ServerState = { startedAt: Date.now(), connectionsCurrent: 0, connectionsTotal: 0 };
  const cursors = new CursorStore();
  const connections = new Connections(state);

  const listener = await listen(options.port ?? 0, host, (socket) => {
    const connectionId = connections.accept(socket);
    serveConnection(socket, (command: Doc, db: string) => {
      const ctx: CommandContext = { engine, cursors, server: state, db, connectionId };
      const reply = runCommand(command, ctx);
      // The command's changes reach the journal file (write(2)) before its reply is sent.
      snapshots.commit();
      if (!wantsJournal(command)) return reply;
      return snapshots.durable().then(
        () => reply,
        (error: unknown) => journalError(reply, error),
      );
    });
  }).catch((error: unknown) => {
    snapshots.release();
    throw error;
  });

  const ttlMonitor = new TtlMonitorTimer(engine, {
    intervalSeconds: options.ttlMonitorSeconds ?? DEFAULT_TTL_MONITOR_SECONDS,
    clock: options.clock ?? (() => new Date()),
    afterTick: () => {
      snapshots.commit();
      cursors.sweep();
    },
  });
  snapshots.startTimer(options.snapshotSeconds ?? DEFAULT_SNAPSHOT_SECONDS);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      ttlMonitor.stop();
      snapshots.stopTimer();
      const closed = listener.close();
      connections.destroyAll();
      await closed;
      await snapshots.close();
    })();
    return stopped;
  };

  return {
    uri: `mongodb://${uriHost(host)}:${listener.port}/`,
    port: listener.port,
    ttlMonitor: {
      runOnce: (at?: Date) => {
        const removed = ttlMonitor.runOnce(at);
        snapshots.commit();
        return removed;
      },
    },
    stop,
  };
}
