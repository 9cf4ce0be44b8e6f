import { startEmbeddedMongo } from './server';

const USAGE =
  'usage: npm run db -- [--port 27017] [--host 127.0.0.1] [--data .data/db.bson] [--snapshot-seconds 5] [--ttl-monitor-seconds 60]';

function parseArgs(argv: string[]): {
  port: number;
  host?: string;
  dataFile?: string;
  snapshotSeconds?: number;
  ttlMonitorSeconds?: number;
} {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (
      !['--port', '--host', '--data', '--snapshot-seconds', '--ttl-monitor-seconds'].includes(
        flag,
      ) ||
      i + 1 >= argv.length
    ) {
      throw new Error(`unknown or incomplete option ${flag}\n${USAGE}`);
    }
    values.set(flag, value);
  }
  /** A whole number of at least `min`: a port may be 0 (a free one), an interval may not. */
  const number = (flag: string, min: 0 | 1): number | undefined => {
    const raw = values.get(flag);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(n) || n < min) {
      const wanted = min === 0 ? 'a non-negative integer' : 'a positive integer (at least 1)';
      throw new Error(`${flag} needs ${wanted}, not '${raw}'\n${USAGE}`);
    }
    return n;
  };
  return {
    port: number('--port', 0) ?? 27017,
    host: values.get('--host'),
    dataFile: values.get('--data'),
    snapshotSeconds: number('--snapshot-seconds', 1),
    ttlMonitorSeconds: number('--ttl-monitor-seconds', 1),
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const options = parseArgs(argv);
  const store = await startEmbeddedMongo(options);
  console.log(`embedded-mongo listening on ${store.uri}`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`embedded-mongo: ${signal} received, writing data and stopping`);
    store.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => {
    shutdown('SIGINT');
  });
  process.on('SIGTERM', () => {
    shutdown('SIGTERM');
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
