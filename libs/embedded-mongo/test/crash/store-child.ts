/**
 * The crash test's child: runs a store on the data file given as argv[2] (default snapshot
 * interval) and prints its uri; the test sends it acknowledged writes and kills it (SIGKILL).
 */
import { startEmbeddedMongo } from '../../src';

startEmbeddedMongo({ dataFile: process.argv[2], snapshotSeconds: Number(process.argv[3] ?? 5) })
  .then((store) => {
    process.stdout.write(`${store.uri}\n`);
  })
  .catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
