import type { Request } from 'express';
import type { AppConfig } from '@app/common';

/**
 * A named rate limit, declared by the feature that owns the route: how many requests per window,
 * counted per what (the client address unless `tracker` says otherwise).
 */
export interface RateLimitDefinition {
  readonly name: string;
  readonly limit: (config: AppConfig) => number;
  readonly windowMs: number;
  readonly tracker?: (req: Request) => string;
}

const definitions = new Map<string, RateLimitDefinition>();

/**
 * Declares a rate limit and returns its handle, which `@RateLimit(handle)` takes: a limit cannot be
 * named without being declared. Two declarations under one name are a mistake and stop the start.
 */
export function defineRateLimit(definition: RateLimitDefinition): RateLimitDefinition {
  const existing = definitions.get(definition.name);
  if (existing !== undefined && existing !== definition) {
    throw new Error(`Rate limit "${definition.name}" is declared twice`);
  }
  definitions.set(definition.name, definition);
  return definition;
}

/** Every declared rate limit. */
export function declaredRateLimits(): RateLimitDefinition[] {
  return [...definitions.values()];
}

/** The declared limit of this name, or an error naming what exists (used at boot). */
export function declaredRateLimit(name: string): RateLimitDefinition {
  const definition = definitions.get(name);
  if (definition === undefined) {
    const known = [...definitions.keys()].sort().join(', ') || 'none';
    throw new Error(
      `Rate limit "${name}" is used by a route but not declared (declared: ${known})`,
    );
  }
  return definition;
}
