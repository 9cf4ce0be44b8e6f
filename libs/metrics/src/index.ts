export { routeLabel, UNMATCHED_ROUTE } from './http-metrics';
export { METRICS_PATHS, MetricsModule } from './metrics.module';
export { MetricsService } from './metrics.service';
