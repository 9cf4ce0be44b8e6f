import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { RATE_LIMITS_KEY } from './rate-limit.decorator';
import { declaredRateLimit } from './rate-limit.definition';

/**
 * At boot, every name a route's @RateLimit carries must be a declared limit: a mistake stops the
 * start instead of switching that limit off without a word.
 */
@Injectable()
export class RateLimitNamesCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const names: unknown = Reflect.getMetadata(RATE_LIMITS_KEY, instance[method] as object);
        if (Array.isArray(names)) for (const name of names) declaredRateLimit(String(name));
      }
    }
  }
}
