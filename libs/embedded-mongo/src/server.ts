import { createServer, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { Doc } from './bson/values';
import { CommandContext, ServerState } from './commands/context';
import { CursorStore } from './commands/cursors';
import { runCommand } from './commands/dispatch';
import { Engine } from './storage/engine';
import { lockDataFile } from './storage/data-file-lock';
import { loadSnapshot, writeSnapshot, writeSnapshotSync } from './storage/persistence';
import { serveConnection } from './wire/connection';

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
}

export interface EmbeddedMongo {
  /** mongodb://host:port/ */
  uri: string;
  port: number;
  /** Closes connections, writes the data file (when set) and releases the port. */
  stop(): Promise<void>;
}

const DEFAULT_SNAPSHOT_SECONDS = 5;

function uriHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the in-process MongoDB-wire-compatible server. */
export async function startEmbeddedMongo(
  options: EmbeddedMongoOptions = {},
): Promise<EmbeddedMongo> {
  const host = options.host ?? '127.0.0.1';
  const engine = new Engine();
  const { dataFile } = options;
  const unlock = dataFile ? lockDataFile(dataFile) : () => undefined;
  try {
    if (dataFile) loadSnapshot(engine, dataFile);
  } catch (error) {
    unlock();
    throw error;
  }
  let savedVersion = engine.version;
  let saving: Promise<void> = Promise.resolve();

  const state: ServerState = { startedAt: Date.now(), connectionsCurrent: 0, connectionsTotal: 0 };
  const cursors = new CursorStore();
  const sockets = new Set<Socket>();
  let connectionIds = 0;

  const server = createServer((socket) => {
    const connectionId = ++connectionIds;
    sockets.add(socket);
    state.connectionsCurrent++;
    state.connectionsTotal++;
    socket.setNoDelay(true);
    socket.on('close', () => {
      sockets.delete(socket);
      state.connectionsCurrent--;
    });
    serveConnection(socket, (command: Doc, db: string) => {
      const ctx: CommandContext = { engine, cursors, server: state, db, connectionId };
      return runCommand(command, ctx);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    unlock();
    throw error;
  });

  const snapshot = (): Promise<void> => {
    if (!dataFile || engine.version === savedVersion) return saving;
    const version = engine.version;
    saving = saving
      .then(() => writeSnapshot(engine, dataFile))
      .then(() => {
        savedVersion = Math.max(savedVersion, version);
      })
      .catch((error: unknown) => {
        process.emitWarning(
          `embedded-mongo: snapshot to ${dataFile} failed: ${(error as Error).message}`,
        );
      });
    return saving;
  };

  const timers = [
    setInterval(
      () => {
        engine.expire(Date.now());
        cursors.sweep();
      },
      (options.ttlMonitorSeconds ?? 60) * 1000,
    ),
    setInterval(
      () => void snapshot(),
      (options.snapshotSeconds ?? DEFAULT_SNAPSHOT_SECONDS) * 1000,
    ),
  ];
  for (const timer of timers) timer.unref();

  const port = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      for (const timer of timers) clearInterval(timer);
      const closed = new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      for (const socket of sockets) socket.destroy();
      await closed;
      await saving;
      if (dataFile && engine.version !== savedVersion) writeSnapshotSync(engine, dataFile);
      unlock();
    })();
    return stopped;
  };

  return { uri: `mongodb://${uriHost(host)}:${port}/`, port, stop };
}
