import { createServer, type AddressInfo, type Socket } from 'node:net';

/** The TCP side of the store: a listening socket that hands each new connection on. */
export interface Listener {
  /** The port actually bound (the free one picked for port 0). */
  readonly port: number;
  /** Stops accepting connections; resolves once every open connection has gone too. */
  close(): Promise<void>;
}

/** Binds `host:port` (0 picks a free port) and calls `onConnection` for each client socket. */
export async function listen(
  port: number,
  host: string,
  onConnection: (socket: Socket) => void,
): Promise<Listener> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}
