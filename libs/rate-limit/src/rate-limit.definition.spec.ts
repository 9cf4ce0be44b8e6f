import { Controller, Get, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { RATE_LIMITS_KEY } from './rate-limit.decorator';
import { declaredRateLimit, defineRateLimit } from './rate-limit.definition';
import { RateLimitNamesCheck } from './rate-limit-names.check';

describe('declared rate limits', () => {
  it('refuses a second declaration under a name already taken', () => {
    const first = defineRateLimit({ name: 'spec-once', limit: () => 1, windowMs: 1000 });
    expect(defineRateLimit(first)).toBe(first);
    expect(() => defineRateLimit({ name: 'spec-once', limit: () => 2, windowMs: 1000 })).toThrow(
      'Rate limit "spec-once" is declared twice',
    );
  });

  it('names what is declared when a route asks for a limit that is not', () => {
    defineRateLimit({ name: 'spec-known', limit: () => 1, windowMs: 1000 });
    expect(declaredRateLimit('spec-known').name).toBe('spec-known');
    expect(() => declaredRateLimit('spec-typo')).toThrow(
      /Rate limit "spec-typo" is used by a route but not declared \(declared: .*spec-known/,
    );
  });

  it('stops the start of an app whose route names an undeclared limit', async () => {
    @Controller('x')
    class TypoController {
      @Get()
      get(): string {
        return 'x';
      }
    }
    Reflect.defineMetadata(
      RATE_LIMITS_KEY,
      ['spec-undeclared'],
      Object.getOwnPropertyDescriptor(TypoController.prototype, 'get')?.value as object,
    );

    @Module({
      imports: [DiscoveryModule],
      controllers: [TypoController],
      providers: [RateLimitNamesCheck],
    })
    class TypoModule {}

    const moduleRef = await Test.createTestingModule({ imports: [TypoModule] }).compile();
    let refusal: unknown;
    try {
      await moduleRef.init();
    } catch (error) {
      refusal = error;
    }
    expect(String(refusal)).toContain(
      'Rate limit "spec-undeclared" is used by a route but not declared',
    );
  });
});
