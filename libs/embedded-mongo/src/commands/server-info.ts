import { Long } from 'bson';
import { hostname } from 'node:os';
import { Doc } from '../bson/values';
import { MAX_BSON_SIZE } from '../storage/collection';
import { MAX_MESSAGE_SIZE } from '../wire/protocol';
import { CommandHandler } from './context';

export const SERVER_VERSION = '7.0.0';
const WIRE_VERSION = 21;

/**
 * The handshake reply. minWireVersion must be present, logicalSessionTimeoutMinutes enables
 * sessions, no setName keeps the driver from sending retryable-write txnNumbers, and no
 * compression field means the driver never compresses.
 */
const hello: CommandHandler = (command, ctx) => {
  const reply: Doc = {
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: MAX_BSON_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
  if (command.helloOk) reply.helloOk = true;
  return reply;
};

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded-mongo',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_SIZE,
  storageEngines: ['embedded'],
  javascriptEngine: 'none',
  modules: [],
  ok: 1,
});

const serverStatus: CommandHandler = (_command, ctx) => {
  const uptimeMs = Date.now() - ctx.server.startedAt;
  return {
    host: hostname(),
    version: SERVER_VERSION,
    process: 'mongod',
    pid: Long.fromNumber(process.pid),
    uptime: Math.floor(uptimeMs / 1000),
    uptimeMillis: Long.fromNumber(uptimeMs),
    localTime: new Date(),
    connections: {
      current: ctx.server.connectionsCurrent,
      available: 1_000_000 - ctx.server.connectionsCurrent,
      totalCreated: ctx.server.connectionsTotal,
    },
    storageEngine: { name: 'embedded', supportsCommittedReads: false, persistent: false },
    metrics: { cursor: { open: { total: ctx.cursors.size } } },
    ok: 1,
  };
};

const ok: CommandHandler = () => ({ ok: 1 });

export const serverCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  serverStatus,
  endSessions: ok,
  killSessions: ok,
  killAllSessions: ok,
  refreshSessions: ok,
  getLastError: () => ({ n: 0, err: null, ok: 1 }),
  connectionStatus: () => ({
    authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] },
    ok: 1,
  }),
  whatsmyuri: () => ({ you: '127.0.0.1', ok: 1 }),
  hostInfo: () => ({
    system: { hostname: hostname(), currentTime: new Date() },
    os: { type: process.platform },
    ok: 1,
  }),
  getCmdLineOpts: () => ({ argv: ['embedded-mongo'], parsed: {}, ok: 1 }),
  getParameter: () => ({ featureCompatibilityVersion: { version: '7.0' }, ok: 1 }),
};
