import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { Clock, SystemClock } from './clock/clock';
import { AppConfigModule } from './config/app-config.module';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { AppLoggerModule } from './logging/app-logger.module';
import { createValidationPipe } from './validation/validation.pipe';

@Global()
@Module({
  imports: [AppConfigModule, AppLoggerModule],
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
  exports: [Clock],
})
export class CommonModule {}
