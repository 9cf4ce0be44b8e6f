import { Doc, isNumeric, isPlainObject } from '../bson/values';
import { toDouble } from '../bson/numbers';
import { badValue, ErrorCode, MongoCommandError } from '../errors';
import { Engine } from '../storage/engine';
import { CursorStore } from './cursors';

export interface ServerState {
  startedAt: number;
  connectionsCurrent: number;
  connectionsTotal: number;
}

export interface CommandContext {
  engine: Engine;
  cursors: CursorStore;
  server: ServerState;
  /** The database the command is addressed to (`$db`). */
  db: string;
  connectionId: number;
}

export type CommandHandler = (command: Doc, ctx: CommandContext) => Doc;

/** A numeric command argument as a JS number, or the fallback when absent. */
export function numberArg(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (!isNumeric(value)) throw typeMismatch(`Field '${name}' must be a number`);
  return toDouble(value);
}

export function docArg(value: unknown, name: string): Doc {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw typeMismatch(`Field '${name}' must be an object`);
  return value;
}

export function stringArg(value: unknown, name: string): string {
  if (typeof value !== 'string') throw typeMismatch(`Field '${name}' must be a string`);
  return value;
}

function typeMismatch(message: string): MongoCommandError {
  return new MongoCommandError(ErrorCode.TypeMismatch, message);
}

/** A boolean command option (numbers count, as in MongoDB); anything else is a type error. */
export function strictBoolArg(value: unknown, name: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean' && !isNumeric(value)) {
    throw typeMismatch(`Field '${name}' must be a boolean`);
  }
  return boolArg(value);
}

export function boolArg(value: unknown): boolean {
  return isNumeric(value) ? toDouble(value) !== 0 : Boolean(value);
}

/** `cursor: {batchSize}` of a command: a non-negative whole number, or undefined for the default. */
export function batchSizeOf(cursor: Doc): number | undefined {
  if (cursor.batchSize === undefined) return undefined;
  const size = numberArg(cursor.batchSize, 'batchSize', 0);
  if (!Number.isInteger(size) || size < 0)
    throw badValue('batchSize must be a non-negative integer');
  return size;
}
