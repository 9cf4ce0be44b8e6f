import {
  DomainError,
  type ErrorDetail,
  normalizePlainText,
  type TimeAheadRule,
  timeAheadProblem,
} from '@app/common';
import type { OpenOn } from './capsule.schema';

/** Longest message of a capsule, in characters (Unicode code points), after normalization. */
export const CAPSULE_MESSAGE_MAX = 5000;

/** How far ahead an explicit deliverAt must be: at least 1 hour, at most 50 years. */
export const DELIVER_AT_RULE: TimeAheadRule = { atLeastMs: 60 * 60 * 1000, atMostYears: 50 };

export interface CapsuleInput {
  message: unknown;
  deliverAt?: Date;
  openOn?: OpenOn;
}

/** When a checked capsule opens: an explicit time, or a rule resolved against the owner. */
export type CapsuleOpening = { deliverAt: Date } | { openOn: OpenOn };

/**
 * A capsule's input as stored, or a VALIDATION_FAILED naming each bad field: the message under
 * the shared plain-text rule, and exactly one of deliverAt (1 hour to 50 years after `now`) and
 * openOn.
 */
export function checkCapsuleInput(
  input: CapsuleInput,
  now: Date,
): { message: string; opening: CapsuleOpening } {
  const details: ErrorDetail[] = [];
  const message = normalizePlainText(input.message, 'message', CAPSULE_MESSAGE_MAX);
  if (!message.ok) details.push({ field: 'message', message: message.problem });
  const { deliverAt, openOn } = input;
  if (deliverAt !== undefined && openOn !== undefined) {
    details.push({ field: 'openOn', message: 'openOn cannot be combined with deliverAt' });
  } else if (deliverAt === undefined && openOn === undefined) {
    details.push({ field: 'deliverAt', message: 'deliverAt or openOn is required' });
  } else if (deliverAt !== undefined) {
    const problem = timeAheadProblem(deliverAt, now, DELIVER_AT_RULE);
    if (problem !== undefined)
      details.push({ field: 'deliverAt', message: `deliverAt ${problem}` });
  }
  if (!message.ok || details.length > 0) throw DomainError.validation(details);
  const opening: CapsuleOpening =
    deliverAt !== undefined ? { deliverAt } : { openOn: openOn as OpenOn };
  return { message: message.text, opening };
}
