import { Doc } from '../bson/values';
import { ErrorCode, MongoCommandError, notSupported } from '../errors';
import { CommandContext, CommandHandler } from './context';
import { crudCommands } from './crud';
import { databaseCommands } from './databases';
import { explainCommands } from './explain';
import { indexCommands } from './indexes';
import { checkKnownFields } from './known-fields';
import { readCommands } from './reads';
import { serverCommands } from './server-info';

const handlers = new Map<string, CommandHandler>(
  Object.entries({
    ...serverCommands,
    ...databaseCommands,
    ...crudCommands,
    ...readCommands,
    ...indexCommands,
    ...explainCommands,
  }),
);

const AUTH_COMMANDS = new Set([
  'saslStart',
  'saslContinue',
  'authenticate',
  'createUser',
  'usersInfo',
  'logout',
]);
const REPLICATION_COMMANDS = new Set([
  'replSetGetStatus',
  'replSetInitiate',
  'replSetGetConfig',
  'replSetReconfig',
]);

function refuseTransactions(name: string, command: Doc): void {
  const inTransaction =
    command.startTransaction !== undefined ||
    command.autocommit !== undefined ||
    command.txnNumber !== undefined ||
    name === 'commitTransaction' ||
    name === 'abortTransaction';
  if (inTransaction) {
    throw new MongoCommandError(
      ErrorCode.CommandNotSupported,
      'Transactions are not supported: they need a replica set, and the embedded MongoDB-compatible ' +
        'store is a standalone server. Run without a transaction, or set MONGO_URL to a replica set.',
    );
  }
}

/** Runs one command document and returns its reply (errors become `{ ok: 0, … }` replies). */
export function runCommand(command: Doc, ctx: CommandContext): Doc {
  const name = Object.keys(command)[0] ?? '';
  try {
    refuseTransactions(name, command);
    if (AUTH_COMMANDS.has(name)) throw notSupported('Authentication');
    if (REPLICATION_COMMANDS.has(name)) throw notSupported('Replication');
    const handler = handlers.get(name);
    if (!handler) {
      throw new MongoCommandError(ErrorCode.CommandNotFound, `no such command: '${name}'`);
    }
    checkKnownFields(name, command);
    return handler(command, ctx);
  } catch (error) {
    if (error instanceof MongoCommandError) return error.toReply();
    if (error instanceof RangeError && /Maximum call stack/.test(error.message)) {
      return new MongoCommandError(
        ErrorCode.BadValue,
        'document or query nested too deeply',
      ).toReply();
    }
    const message = error instanceof Error ? error.message : String(error);
    return new MongoCommandError(
      ErrorCode.InternalError,
      `embedded-mongo internal error in '${name}': ${message}`,
    ).toReply();
  }
}
