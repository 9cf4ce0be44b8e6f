import { Module, RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino, { type DestinationStream, type Level } from 'pino';
import { AppConfig } from '../config/app-config';
import { requestIdOf } from '../http/request-id';
import { maskPathSecrets, REDACTION_CENSOR, redactedLogPaths } from './log-redaction';

export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

function levelFor(_req: IncomingMessage, res: ServerResponse, error?: Error): Level {
  if (error !== undefined || res.statusCode >= 500) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'info';
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [
        { provide: LOG_DESTINATION, useFactory: () => pino.destination({ dest: 1, sync: true }) },
      ],
      inject: [AppConfig, LOG_DESTINATION],
      useFactory: (config: AppConfig, destination: DestinationStream) => ({
        forRoutes: [{ path: '/{*path}', method: RequestMethod.ALL }],
        pinoHttp: [
          {
            level: config.get('LOG_LEVEL'),
            timestamp: pino.stdTimeFunctions.isoTime,
            redact: { paths: redactedLogPaths(), censor: REDACTION_CENSOR },
            serializers: {
              // The params are the logger's own catch-all route (the path split up): left out.
              req: (req: { url?: string; params?: unknown }) => ({
                ...req,
                url: maskPathSecrets(req.url),
                params: undefined,
              }),
            },
            genReqId: requestIdOf,
            customLogLevel: levelFor,
            autoLogging: { ignore: (req) => QUIET_PATHS.includes(req.url ?? '') },
          },
          destination,
        ],
      }),
    }),
  ],
})
export class AppLoggerModule {}
