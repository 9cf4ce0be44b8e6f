import { startBenchChild } from './child';
import type { StoreMessage } from './store-server';
import type {
  ClientsCommand,
  ClientsMessage,
  ConnectCommand,
  DeliveryFigures,
  RunCommand,
} from './socket-clients';

export interface SocketClients {
  /** Connects one socket per token and joins each to the room; resolves once all are in. */
  connect(options: Omit<ConnectCommand, 'type'>): Promise<{ sockets: number; ms: number }>;
  /** Posts at a fixed rate from the first socket and times every delivery (see RunCommand). */
  run(options: Omit<RunCommand, 'type'>): Promise<DeliveryFigures>;
  /** Closes every socket the clients hold (the server sees them disconnect soon after). */
  close(): Promise<void>;
  stop(): void;
}

/**
 * Forks the socket clients (bench/support/socket-clients.ts) and waits until they are ready: their
 * own process and event loop, apart from the server under test.
 */
export async function startSocketClients(): Promise<SocketClients> {
  const child = await startBenchChild<ClientsMessage>('socket-clients.ts', 'socket clients');
  return {
    async connect(options) {
      const command: ClientsCommand = { type: 'connect', ...options };
      const { sockets, ms } = await child.ask(command, 'connected');
      return { sockets, ms };
    },
    async run(options) {
      const command: ClientsCommand = { type: 'run', ...options };
      return (await child.ask(command, 'figures')).figures;
    },
    async close() {
      const command: ClientsCommand = { type: 'close' };
      await child.ask(command, 'closed');
    },
    stop: () => {
      child.stop();
    },
  };
}

/**
 * Starts the embedded store in a process of its own (bench/support/store-server.ts) and answers
 * its MongoDB URL, for a bench whose app should not run the store's work on its own event loop.
 */
export async function startStoreServer(): Promise<{ uri: string; stop(): void }> {
  const child = await startBenchChild<StoreMessage>('store-server.ts', 'store server');
  const { uri } = await child.ask({ type: 'uri' }, 'started');
  return {
    uri,
    stop: () => {
      child.stop();
    },
  };
}
