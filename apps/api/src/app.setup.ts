import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import {
  type AppConfig,
  assignRequestId,
  jsonBody,
  rejectForbiddenKeys,
  REQUEST_ID_HEADER,
} from '@app/common';
import { HEALTH_PATHS } from '@app/health';
import { METRICS_PATHS, MetricsService } from '@app/metrics';
import { RealtimeIoAdapter } from '@app/realtime';
import { setupDashboard } from './dashboard/dashboard';
import { setupOpenApi } from './openapi';

export const API_PREFIX = 'api/v1';

/** helmet's default Content-Security-Policy, without upgrade-insecure-requests (plain-HTTP dev). */
const CSP_DIRECTIVES = { upgradeInsecureRequests: null };

export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  const origins = config.get('CORS_ORIGINS');
  app.set('trust proxy', config.get('TRUST_PROXY'));
  app.use(assignRequestId);
  app.use(app.get(MetricsService).httpMiddleware());
  app.use(helmet({ contentSecurityPolicy: { directives: CSP_DIRECTIVES } }));
  app.enableCors({
    origin: origins.length > 0 ? origins : false,
    credentials: true,
    exposedHeaders: [REQUEST_ID_HEADER, 'retry-after'],
  });
  app.use(cookieParser());
  app.use(jsonBody(config.get('BODY_LIMIT')));
  app.use(rejectForbiddenKeys);
  app.setGlobalPrefix(API_PREFIX, { exclude: [...HEALTH_PATHS, ...METRICS_PATHS] });
  app.useWebSocketAdapter(new RealtimeIoAdapter(app, config));
  setupOpenApi(app);
  setupDashboard(app, CSP_DIRECTIVES);
}
