import {
  byteSizeVar,
  enumVar,
  hostVar,
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
  HOST: hostVar({
    description:
      'Address the HTTP server binds to. Unset: 127.0.0.1 outside production, 0.0.0.0 (every interface) in production.',
    default: undefined,
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
  REDIS_KEY_PREFIX: stringVar({
    description:
      'Prefix of every Redis key and channel this deployment uses (several deployments may share a Redis).',
    default: 'dobkonektor:',
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
  JWT_SECRET: stringVar({
    description:
      'Secret that signs access tokens (HS256). Unset outside production: a random secret is generated once and kept beside EMBEDDED_MONGO_DATA (jwt-secret).',
    default: undefined,
    secret: true,
    requiredInProduction: true,
  }),
  METRICS_TOKEN: stringVar({
    description:
      'Bearer token that GET /metrics requires (Authorization: Bearer <token>); required in production. Unset elsewhere: /metrics is open.',
    default: undefined,
    secret: true,
    requiredInProduction: true,
  }),
  ACCESS_TOKEN_TTL_SECONDS: intVar({
    description: 'Lifetime of an access token, in seconds (at most 15 minutes).',
    default: 900,
    min: 30,
    max: 900,
  }),
  REFRESH_TOKEN_TTL_DAYS: intVar({
    description: 'A session ends this many days after its last refresh.',
    default: 30,
    min: 1,
    max: 365,
  }),
  BCRYPT_COST: intVar({
    description: 'bcrypt cost factor for password hashes (at least 10 in production).',
    default: 12,
    min: 4,
    max: 15,
    productionRule: (value) =>
      value < 10 ? 'must be at least 10 when NODE_ENV=production' : undefined,
  }),
  MIN_SIGNUP_AGE: intVar({
    description: 'Youngest age, in whole years, at which a person may sign up.',
    default: 13,
    min: 0,
    max: 120,
  }),
  SIGNUP_TOKENS: intVar({
    description: 'Tokens a new account starts with (written as a "signup" ledger entry).',
    default: 100,
    min: 0,
    max: 1_000_000,
  }),
  INVITE_TTL_DAYS: intVar({
    description: 'How long a new invite code stays valid, in days.',
    default: 14,
    min: 1,
    max: 365,
  }),
  INVITES_ACTIVE_MAX: intVar({
    description: 'Most unused, unexpired invite codes one user may hold at once.',
    default: 5,
    min: 0,
    max: 1000,
  }),
  RATE_LIMITS: enumVar(['on', 'off'] as const, {
    description:
      'on, or off to disable every rate limit (load tests, benchmarks); off is refused in production.',
    default: 'on',
    productionRule: (value) =>
      value === 'off' ? 'cannot be off when NODE_ENV=production' : undefined,
  }),
  LOGIN_MAX_FAILURES: intVar({
    description: 'Failed logins allowed per account and per address within the window before 429.',
    default: 5,
    min: 1,
    max: 10_000,
  }),
  LOGIN_FAILURE_WINDOW_SECONDS: intVar({
    description: 'Window over which failed logins are counted, in seconds.',
    default: 900,
    min: 1,
    max: 86_400,
  }),
  SIGNUP_RATE_PER_HOUR: intVar({
    description: 'Signup attempts allowed per address, and per email, each hour.',
    default: 10,
    min: 1,
    max: 100_000,
  }),
  PASSWORD_RESET_URL: urlVar(['http:', 'https:'], {
    description:
      'Page of the web client where a password reset is completed; the reset token is appended to it (the mail links there).',
    default: 'http://localhost:3000/reset-password#token=',
  }),
  PASSWORD_RESET_TTL_MINUTES: intVar({
    description: 'How long a password reset link stays valid, in minutes.',
    default: 30,
    min: 5,
    max: 1440,
  }),
  FORGOT_EMAIL_RATE_PER_HOUR: intVar({
    description:
      'POST /auth/password/forgot requests allowed per email from one client address each hour (any email string, known or not).',
    default: 5,
    min: 1,
    max: 100_000,
  }),
  FORGOT_EMAIL_TOTAL_RATE_PER_HOUR: intVar({
    description:
      'POST /auth/password/forgot requests allowed per email from all addresses together each hour (bounds the mail one inbox gets).',
    default: 20,
    min: 1,
    max: 100_000,
  }),
  FORGOT_ADDRESS_RATE_PER_HOUR: intVar({
    description: 'POST /auth/password/forgot requests allowed per client address each hour.',
    default: 20,
    min: 1,
    max: 100_000,
  }),
  SMTP_URL: urlVar(['smtp:', 'smtps:'], {
    description:
      'SMTP server mails go through (smtp:// or smtps://, credentials inside). Unset: outside production mails are written as .eml files to MAIL_DIR; in production password reset answers 503.',
    default: undefined,
  }),
  MAIL_FROM: stringVar({
    description: 'Sender of every mail (From header).',
    default: 'no-reply@localhost',
  }),
  MAIL_DIR: stringVar({
    description:
      'Directory mails are written to as .eml files when SMTP_URL is unset (not in production).',
    default: '.data/mail',
  }),
  COUPON_REDEEM_RATE_PER_MINUTE: intVar({
    description: 'POST /tokens/redeem requests allowed per user each minute.',
    default: 10,
    min: 1,
    max: 100_000,
  }),
  INVITE_CHECK_RATE_PER_MINUTE: intVar({
    description: 'GET /invites/:code/check requests allowed per address each minute.',
    default: 20,
    min: 1,
    max: 100_000,
  }),
  MESSAGE_COST: intVar({
    description: 'Tokens one message costs (REST and socket posts alike).',
    default: 1,
    min: 0,
    max: 1_000_000,
  }),
  MESSAGE_RATE_PER_MINUTE: intVar({
    description: 'Messages one user may post each minute (REST and socket posts count together).',
    default: 30,
    min: 1,
    max: 100_000,
  }),
  MESSAGE_RETENTION_HOURS: intVar({
    description:
      'Hours a message is stored before the TTL index removes it (at least 24: the conversation window).',
    default: 24,
    min: 24,
    max: 24 * 366,
  }),
  CAPSULE_COST: intVar({
    description: 'Tokens sealing one time capsule costs.',
    default: 10,
    min: 0,
    max: 1_000_000,
  }),
  SCHEDULER: enumVar(['on', 'off'] as const, {
    description:
      'on, or off to run no scheduled jobs (capsule delivery) on this instance: for deployments that run them on one node.',
    default: 'on',
  }),
  SOCKET_EVENTS_PER_MINUTE: intVar({
    description:
      'Socket events (room:join, room:leave, typing) one user may send each minute, over all their sockets.',
    default: 120,
    min: 1,
    max: 1_000_000,
  }),
  PRESENCE_TTL_SECONDS: intVar({
    description:
      'With Redis: seconds after which the presence of an instance that stopped heartbeating is removed.',
    default: 30,
    min: 2,
    max: 600,
  }),
  AVATAR_UPLOAD_RATE_PER_HOUR: intVar({
    description: 'PUT /users/me/avatar requests allowed per user each hour.',
    default: 30,
    min: 1,
    max: 100_000,
  }),
  UPLOADS_DIR: stringVar({
    description:
      'Directory uploaded files (avatars) are stored in when S3_BUCKET is unset (created when missing).',
    default: '.data/uploads',
  }),
  S3_BUCKET: stringVar({
    description:
      'S3-compatible bucket uploaded files are stored in instead of UPLOADS_DIR (with the other S3_ variables).',
    default: undefined,
  }),
  S3_REGION: stringVar({
    description: 'Region of S3_BUCKET.',
    default: 'us-east-1',
  }),
  S3_ENDPOINT: urlVar(['http:', 'https:'], {
    description:
      'Endpoint of an S3-compatible service (MinIO, R2, ...). Unset: AWS S3 of S3_REGION.',
    default: undefined,
  }),
  S3_ACCESS_KEY_ID: stringVar({
    description:
      'Access key id for S3_BUCKET. Unset: the AWS SDK finds credentials itself (environment, instance role).',
    default: undefined,
  }),
  S3_SECRET_ACCESS_KEY: stringVar({
    description: 'Secret access key that goes with S3_ACCESS_KEY_ID (never logged).',
    default: undefined,
  }),
  S3_FORCE_PATH_STYLE: enumVar(['false', 'true'] as const, {
    description:
      'true to address the bucket as ENDPOINT/BUCKET/key instead of BUCKET.ENDPOINT/key (MinIO and most self-hosted services need it).',
    default: 'false',
  }),
  ADMIN_PASSWORD: stringVar({
    description:
      'Password of the account `npm run cli -- admin:create` creates (read by that command only; --password overrides).',
    default: undefined,
  }),
};

export type EnvSchema = typeof envSchema;
export type EnvName = keyof EnvSchema;
export type EnvConfig = { readonly [K in EnvName]: EnvValue<EnvSchema[K]> };
