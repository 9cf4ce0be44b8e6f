import { formatValue } from '../bson/format';
import { Doc, MISSING } from '../bson/values';
import { getChild, resolveSlot, setChild } from './update-paths';

export interface OperatorContext {
  root: Doc;
  /** The concrete path being updated, for messages. */
  path: string;
  parts: string[];
  now: Date;
}

export type UpdateOperator = (ctx: OperatorContext, arg: unknown) => void;

export function idText(ctx: OperatorContext): string {
  return `{_id: ${formatValue(ctx.root._id)}}`;
}

export function write(ctx: OperatorContext, value: unknown): void {
  const slot = resolveSlot(ctx.root, ctx.parts, true);
  if (slot) setChild(slot.container, slot.key, value, ctx.parts[ctx.parts.length - 2]);
}

export function current(ctx: OperatorContext): unknown {
  const slot = resolveSlot(ctx.root, ctx.parts, false);
  return slot ? getChild(slot.container, slot.key) : MISSING;
}
