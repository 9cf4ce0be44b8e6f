import type { NextFunction, Request, Response } from 'express';
import { DomainError, type ErrorDetail } from '../errors/domain-error';

/** Deepest nesting of objects and arrays a body or query may have (the top level is 1). */
export const MAX_PAYLOAD_DEPTH = 32;

/** Keys that reach an object's prototype machinery when code merges or walks payloads. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isOperatorKey(key: string): boolean {
  return key.startsWith('$') || key.includes('.');
}

function querySegments(key: string): string[] {
  return key.split(/[[\]]+/).filter((segment) => segment.length > 0);
}

export interface PayloadProblems {
  /** Paths of keys starting with "$" or containing ".", sorted. */
  readonly keys: string[];
  /** Paths of __proto__, constructor and prototype keys, sorted. */
  readonly prototypeKeys: string[];
  /** Path of the first container found deeper than MAX_PAYLOAD_DEPTH, if any. */
  readonly tooDeep?: string;
}

/**
 * Walks a parsed payload without recursion, so no nesting can exhaust the stack; it stops
 * descending at MAX_PAYLOAD_DEPTH, so the walk is bounded by the payload's size.
 */
export function inspectPayload(
  value: unknown,
  segmentsOf: (key: string) => string[] = (key) => [key],
): PayloadProblems {
  const keys: string[] = [];
  const prototypeKeys: string[] = [];
  let tooDeep: string | undefined;
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value, path: '', depth: 1 },
  ];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > MAX_PAYLOAD_DEPTH) {
      tooDeep ??= item.path;
      continue;
    }
    for (const [key, child] of Object.entries(item.value)) {
      const path = item.path === '' ? key : `${item.path}.${key}`;
      const segments = Array.isArray(item.value) ? [] : segmentsOf(key);
      if (segments.length > MAX_PAYLOAD_DEPTH) tooDeep ??= path;
      if (segments.some(isOperatorKey)) keys.push(path);
      else if (segments.some((segment) => PROTOTYPE_KEYS.has(segment))) prototypeKeys.push(path);
      else pending.push({ value: child, path, depth: item.depth + 1 });
    }
  }
  return {
    keys: keys.sort(),
    prototypeKeys: prototypeKeys.sort(),
    ...(tooDeep === undefined ? {} : { tooDeep }),
  };
}

/**
 * The validation details of one payload (`where`: body, query, or a socket event's payload):
 * operator and prototype keys, and excessive nesting.
 */
export function payloadProblemDetails(
  where: 'body' | 'query' | 'payload',
  value: unknown,
): ErrorDetail[] {
  const problems = inspectPayload(value, where === 'query' ? querySegments : undefined);
  const details: ErrorDetail[] = [];
  for (const field of problems.keys) {
    details.push({ field, message: `${where} keys must not start with "$" or contain "."` });
  }
  for (const field of problems.prototypeKeys) {
    details.push({
      field,
      message: `${where} keys must not be __proto__, constructor or prototype`,
    });
  }
  if (problems.tooDeep !== undefined) {
    details.push({
      field: problems.tooDeep.split('.')[0] || where,
      message: `${where} must not be nested deeper than ${MAX_PAYLOAD_DEPTH} levels`,
    });
  }
  return details;
}

/** The validation details of a body and a query: forbidden keys and excessive nesting. */
export function payloadDetails(body: unknown, query: unknown): ErrorDetail[] {
  return [...payloadProblemDetails('body', body), ...payloadProblemDetails('query', query)];
}

/** Refuses, before anything walks them, payloads with operator or prototype keys or deep nesting. */
export function rejectForbiddenKeys(req: Request, _res: Response, next: NextFunction): void {
  const details = payloadDetails(req.body, req.query);
  if (details.length === 0) {
    next();
    return;
  }
  next(DomainError.validation(details, 'The request has forbidden keys or is nested too deeply'));
}
