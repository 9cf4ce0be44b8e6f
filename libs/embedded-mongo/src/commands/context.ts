import { Doc, isNumeric, isPlainObject } from '../bson/values';
import { toDouble } from '../bson/numbers';
import { badValue } from '../errors';
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
  if (!isNumeric(value)) throw badValue(`Field '${name}' must be a number`);
  return toDouble(value);
}

export function docArg(value: unknown, name: string): Doc {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw badValue(`Field '${name}' must be an object`);
  return value;
}

export function stringArg(value: unknown, name: string): string {
  if (typeof value !== 'string') throw badValue(`Field '${name}' must be a string`);
  return value;
}

export function boolArg(value: unknown): boolean {
  return isNumeric(value) ? toDouble(value) !== 0 : Boolean(value);
}
