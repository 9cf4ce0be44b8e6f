import { relative } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';

/**
 * Jest's node environment, plus a check after each test file: whatever the file opened that still
 * keeps the process alive once its afterAll hooks are done (a listening server, a connection, a
 * child process, a pending timer...) fails that file, named, instead of making Jest hang (in band)
 * or force-kill a worker with a mere warning. The run-level backstop is exit-watchdog.ts.
 */

/** How long resources closed at the very end (sockets, exiting children) get to go away. */
const SETTLE_MS = 2_000;
const POLL_MS = 20;

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  TCPServerWrap: 'listening TCP server',
  TCPSocketWrap: 'TCP connection',
  PipeServerWrap: 'listening pipe server',
  PipeWrap: 'pipe (child process stdio?)',
  ProcessWrap: 'child process',
  Timeout: 'timer (setTimeout/setInterval not cleared or unref()ed)',
  Immediate: 'setImmediate',
  UDPWrap: 'UDP socket',
  FSEventWrap: 'file watcher',
  StatWatcher: 'file watcher',
  SignalWrap: 'signal listener',
  MessagePort: 'worker message port',
  Worker: 'worker thread',
};

type Counts = Map<string, number>;

function countResources(): Counts {
  const counts: Counts = new Map();
  for (const type of process.getActiveResourcesInfo()) {
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

function opened(baseline: Counts): string[] {
  const now = countResources();
  const extra: string[] = [];
  for (const [type, count] of now) {
    const added = count - (baseline.get(type) ?? 0);
    if (added <= 0) continue;
    const description = DESCRIPTIONS[type];
    extra.push(description ? `${added} ${type} (${description})` : `${added} ${type}`);
  }
  return extra;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export default class LeakCheckingEnvironment extends TestEnvironment {
  private readonly testPath: string;
  private baseline: Counts = new Map();

  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    this.testPath = args[1].testPath;
  }

  override async setup(): Promise<void> {
    await super.setup();
    this.baseline = countResources();
  }

  override async teardown(): Promise<void> {
    await super.teardown();
    const deadline = Date.now() + SETTLE_MS;
    let left = opened(this.baseline);
    while (left.length > 0 && Date.now() < deadline) {
      await sleep(POLL_MS);
      left = opened(this.baseline);
    }
    if (left.length === 0) return;
    const file = relative(process.cwd(), this.testPath);
    const error = new Error(
      `${file} left open, ${SETTLE_MS} ms after its last afterAll hook:\n` +
        left.map((line) => `  - ${line}\n`).join('') +
        'Close every server, app, browser, connection, child process and timer the file opens ' +
        '(in afterAll, which must also work when beforeAll failed: see closeAll in ' +
        `test/support/teardown.ts). \`npx jest --detectOpenHandles ${file}\` shows where they ` +
        'were opened.',
    );
    error.stack = ''; // a stack would only point here
    throw error;
  }
}
