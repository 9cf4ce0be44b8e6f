import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { Clock, SystemClock } from './clock/clock';
import type { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { AppLoggerModule } from './logging/app-logger.module';
import { createValidationPipe } from './validation/validation.pipe';

/** Configuration (parsed once, before the app is created), logging, the clock, errors, validation. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CommonModule,
      imports: [AppConfigModule.forRoot(config), AppLoggerModule],
      providers: [
        { provide: Clock, useClass: SystemClock },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [Clock],
    };
  }
}
