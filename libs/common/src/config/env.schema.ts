import {
  byteSizeVar,
  enumVar,
  type EnvValue,
  intVar,
  originListVar,
  stringVar,
  trustProxyVar,
  urlVar,
} from './env-var';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const envSchema = {
  NODE_ENV: enumVar(NODE_ENVS, {
    description: 'Runtime mode. production requires MONGO_URL and secrets of 32+ characters.',
    default: 'development',
  }),
  PORT: intVar({
    description: 'HTTP port the API listens on.',
    default: 3000,
    min: 1,
    max: 65535,
  }),
  LOG_LEVEL: enumVar(LOG_LEVELS, {
    description: 'Lowest level written to the JSON log.',
    default: 'info',
  }),
  MONGO_URL: urlVar(['mongodb:', 'mongodb+srv:'], {
    description:
      'MongoDB connection string. Unset: the embedded MongoDB-compatible store runs in-process.',
    default: undefined,
    requiredInProduction: true,
  }),
  EMBEDDED_MONGO_DATA: stringVar({
    description: 'File the embedded store persists to (used only when MONGO_URL is unset).',
    default: '.data/embedded-mongo.bson',
  }),
  REDIS_URL: urlVar(['redis:', 'rediss:'], {
    description: 'Redis connection string. When set, /health/ready checks it.',
    default: undefined,
  }),
  CORS_ORIGINS: originListVar({
    description: 'Comma-separated browser origins allowed to call the API with credentials.',
    default: [],
  }),
  BODY_LIMIT: byteSizeVar({
    description: 'Largest accepted JSON request body (e.g. 100kb, 1mb); larger answers 413.',
    default: 100 * 1024,
    max: 50 * 1024 * 1024,
  }),
  TRUST_PROXY: trustProxyVar({
    description:
      'Express "trust proxy": false, true, a hop count (1 behind one nginx), or addresses/subnets.',
    default: false,
  }),
  SHUTDOWN_TIMEOUT_MS: intVar({
    description: 'On SIGTERM, how long in-flight requests may take before connections are cut.',
    default: 10000,
    min: 100,
    max: 120000,
  }),
};

export type EnvSchema = typeof envSchema;
export type EnvName = keyof EnvSchema;
export type EnvConfig = { readonly [K in EnvName]: EnvValue<EnvSchema[K]> };
