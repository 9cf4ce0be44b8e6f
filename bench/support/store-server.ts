/**
 * The embedded store as a database server of its own (forked by `startStoreServer`), persisting to
 * a data file as `npm start` does: the app under test then spends its CPU on its own work, as it
 * does beside a real MongoDB, and not on the store's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedMongo } from '../../libs/embedded-mongo/src';

export type StoreMessage = { readonly type: 'ready' } | { readonly type: 'started'; uri: string };

if (process.send === undefined) {
  process.stderr.write('store-server.ts runs as a forked child: see startStoreServer()\n');
  process.exit(2);
}

void (async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dobkonektor-bench-store-'));
  const store = await startEmbeddedMongo({ dataFile: join(dir, 'store.data') });
  process.on('message', () => {
    process.send?.({ type: 'started', uri: store.uri });
  });
  process.on('disconnect', () => {
    void store
      .stop()
      .finally(() => rm(dir, { recursive: true, force: true }))
      .finally(() => process.exit(0));
  });
  process.send?.({ type: 'ready' });
})();
