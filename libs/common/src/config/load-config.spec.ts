import { stringVar } from './env-var';
import { ConfigValidationError, loadConfig, validateEnv } from './load-config';

function problemsOf(run: () => unknown): { names: string[]; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      return { names: error.problems.map(({ name }) => name), message: error.message };
    }
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadConfig', () => {
  it('gives every variable its default on an empty environment', () => {
    expect(loadConfig({})).toEqual({
      NODE_ENV: 'development',
      PORT: 3000,
      LOG_LEVEL: 'info',
      MONGO_URL: undefined,
      EMBEDDED_MONGO_DATA: '.data/embedded-mongo.bson',
      REDIS_URL: undefined,
      CORS_ORIGINS: [],
      BODY_LIMIT: 102400,
      TRUST_PROXY: false,
      SHUTDOWN_TIMEOUT_MS: 10000,
      REDIS_KEY_PREFIX: 'dobkonektor:',
      JWT_SECRET: undefined,
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_DAYS: 30,
      BCRYPT_COST: 12,
      MIN_SIGNUP_AGE: 13,
      SIGNUP_TOKENS: 100,
      INVITE_TTL_DAYS: 14,
      INVITES_ACTIVE_MAX: 5,
      RATE_LIMITS: 'on',
      LOGIN_MAX_FAILURES: 5,
      LOGIN_FAILURE_WINDOW_SECONDS: 900,
      SIGNUP_RATE_PER_HOUR: 10,
      PASSWORD_RESET_URL: 'http://localhost:3000/reset-password#token=',
      PASSWORD_RESET_TTL_MINUTES: 30,
      FORGOT_EMAIL_RATE_PER_HOUR: 5,
      FORGOT_EMAIL_TOTAL_RATE_PER_HOUR: 20,
      FORGOT_ADDRESS_RATE_PER_HOUR: 20,
      SMTP_URL: undefined,
      MAIL_FROM: 'no-reply@localhost',
      MAIL_DIR: '.data/mail',
      COUPON_REDEEM_RATE_PER_MINUTE: 10,
      INVITE_CHECK_RATE_PER_MINUTE: 20,
      MESSAGE_COST: 1,
      MESSAGE_RATE_PER_MINUTE: 30,
      MESSAGE_RETENTION_HOURS: 24,
      CAPSULE_COST: 10,
      SCHEDULER: 'on',
      SOCKET_EVENTS_PER_MINUTE: 120,
      PRESENCE_TTL_SECONDS: 30,
      AVATAR_UPLOAD_RATE_PER_HOUR: 30,
      UPLOADS_DIR: '.data/uploads',
      S3_BUCKET: undefined,
      S3_REGION: 'us-east-1',
      S3_ENDPOINT: undefined,
      S3_ACCESS_KEY_ID: undefined,
      S3_SECRET_ACCESS_KEY: undefined,
      S3_FORCE_PATH_STYLE: 'false',
    });
  });

  it('in production requires JWT_SECRET and METRICS_TOKEN of 32+ characters, refuses RATE_LIMITS=off and a weak BCRYPT_COST', () => {
    const production = {
      NODE_ENV: 'production',
      MONGO_URL: 'mongodb://db:27017/app',
      JWT_SECRET: 'x'.repeat(32),
      METRICS_TOKEN: 'm'.repeat(32),
    };
    expect(loadConfig(production).JWT_SECRET).toBe('x'.repeat(32));
    expect(problemsOf(() => loadConfig({ ...production, JWT_SECRET: undefined })).names).toEqual([
      'JWT_SECRET',
    ]);
    expect(problemsOf(() => loadConfig({ ...production, METRICS_TOKEN: undefined })).names).toEqual(
      ['METRICS_TOKEN'],
    );
    expect(
      problemsOf(() => loadConfig({ ...production, METRICS_TOKEN: 'short-token' })).message,
    ).toContain('METRICS_TOKEN: must be at least 32 characters when NODE_ENV=production');
    expect(loadConfig({ METRICS_TOKEN: undefined }).METRICS_TOKEN).toBeUndefined();
    const { names, message } = problemsOf(() =>
      loadConfig({
        ...production,
        JWT_SECRET: 'short-secret',
        RATE_LIMITS: 'off',
        BCRYPT_COST: '8',
      }),
    );
    expect(names).toEqual(['JWT_SECRET', 'BCRYPT_COST', 'RATE_LIMITS']);
    expect(message).not.toContain('short-secret');
    expect(loadConfig({ RATE_LIMITS: 'off', BCRYPT_COST: '4' })).toMatchObject({
      RATE_LIMITS: 'off',
      BCRYPT_COST: 4,
    });
  });

  it('refuses an access token lifetime over 15 minutes', () => {
    expect(problemsOf(() => loadConfig({ ACCESS_TOKEN_TTL_SECONDS: '901' })).names).toEqual([
      'ACCESS_TOKEN_TTL_SECONDS',
    ]);
  });

  it('parses every kind of value', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '8080',
      MONGO_URL: 'mongodb://user:pw@db1:27017,db2:27017/app?replicaSet=rs0',
      REDIS_URL: 'redis://127.0.0.1:6379',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      BODY_LIMIT: '1mb',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
    });
    expect(config).toMatchObject({
      NODE_ENV: 'test',
      PORT: 8080,
      MONGO_URL: 'mongodb://user:pw@db1:27017,db2:27017/app?replicaSet=rs0',
      REDIS_URL: 'redis://127.0.0.1:6379',
      CORS_ORIGINS: ['https://app.example.com', 'http://localhost:5173'],
      BODY_LIMIT: 1024 * 1024,
      TRUST_PROXY: ['loopback', '10.0.0.0/8'],
    });
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
  });

  it('treats an empty or blank variable as unset', () => {
    expect(loadConfig({ MONGO_URL: '', PORT: '  ' })).toMatchObject({
      MONGO_URL: undefined,
      PORT: 3000,
    });
  });

  it('names each bad variable and never prints a value', () => {
    const secretLooking = 'mysql://root:hunter2@db';
    const { names, message } = problemsOf(() =>
      loadConfig({
        PORT: '70000',
        LOG_LEVEL: 'loud',
        MONGO_URL: secretLooking,
        CORS_ORIGINS: 'not an origin',
        BODY_LIMIT: '12 parsecs',
        TRUST_PROXY: 'everyone',
        SHUTDOWN_TIMEOUT_MS: 'soon',
      }),
    );
    expect(names).toEqual([
      'PORT',
      'LOG_LEVEL',
      'MONGO_URL',
      'CORS_ORIGINS',
      'BODY_LIMIT',
      'TRUST_PROXY',
      'SHUTDOWN_TIMEOUT_MS',
    ]);
    for (const value of [
      secretLooking,
      'hunter2',
      '70000',
      'loud',
      'parsecs',
      'everyone',
      'soon',
    ]) {
      expect(message).not.toContain(value);
    }
    expect(message).toContain('PORT: must be an integer from 1 to 65535');
  });

  it('takes an IP address or a host name as HOST, and nothing else', () => {
    for (const host of ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost', 'api.internal']) {
      expect(loadConfig({ HOST: host }).HOST).toBe(host);
    }
    expect(loadConfig({}).HOST).toBeUndefined();
    for (const host of ['http://0.0.0.0', 'a b', '0.0.0.0:3000', '-bad-']) {
      expect(problemsOf(() => loadConfig({ HOST: host })).names).toEqual(['HOST']);
    }
  });

  it('requires MONGO_URL in production', () => {
    const secret = 's'.repeat(40);
    const { names, message } = problemsOf(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, METRICS_TOKEN: secret }),
    );
    expect(names).toEqual(['MONGO_URL']);
    expect(message).toContain('MONGO_URL: is required when NODE_ENV=production');
    expect(
      loadConfig({
        NODE_ENV: 'production',
        MONGO_URL: 'mongodb://mongo:27017/app',
        JWT_SECRET: secret,
        METRICS_TOKEN: secret,
      }).MONGO_URL,
    ).toBe('mongodb://mongo:27017/app');
  });
});

describe('validateEnv secrets', () => {
  const schema = {
    NODE_ENV: stringVar({ description: 'mode', default: 'development' }),
    SIGNING_SECRET: stringVar({ description: 'a secret', default: 'dev-only', secret: true }),
  };

  it('accepts a short secret outside production', () => {
    expect(validateEnv({ SIGNING_SECRET: 'short' }, schema).SIGNING_SECRET).toBe('short');
  });

  it('refuses a secret under 32 characters, or the default, in production without printing it', () => {
    const { names, message } = problemsOf(() =>
      validateEnv({ NODE_ENV: 'production', SIGNING_SECRET: 'x'.repeat(31) }, schema),
    );
    expect(names).toEqual(['SIGNING_SECRET']);
    expect(message).toContain('must be at least 32 characters when NODE_ENV=production');
    expect(message).not.toContain('x'.repeat(31));
    expect(problemsOf(() => validateEnv({ NODE_ENV: 'production' }, schema)).names).toEqual([
      'SIGNING_SECRET',
    ]);
  });

  it('accepts a secret of 32 characters in production', () => {
    const secret = 's'.repeat(32);
    expect(validateEnv({ NODE_ENV: 'production', SIGNING_SECRET: secret }, schema)).toEqual({
      NODE_ENV: 'production',
      SIGNING_SECRET: secret,
    });
  });
});
