export { HEALTH_PATHS, HealthModule } from './health.module';
