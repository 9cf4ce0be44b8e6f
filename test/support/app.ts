import type { DynamicModule, Type } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { Logger } from 'nestjs-pino';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AppConfig, Clock, LOG_DESTINATION, loadConfig } from '@app/common';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/app.setup';
import { TestClock } from './clock';
import { uniqueTestDatabaseName, withDatabaseName } from './database-name';
import { LogCapture } from './log-capture';

export interface TestAppOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly imports?: readonly (Type | DynamicModule)[];
  /**
   * Use MONGO_URL's database as given, and leave it in place on close: for apps that act as
   * instances of one deployment on one database (the suite owns and removes that store).
   */
  readonly sharedDatabase?: boolean;
}

/**
 * A cookie-less HTTP client for the test app: every call starts a fresh supertest request, and no
 * cookie a response sets is kept or sent again. A request that needs a cookie sets it itself
 * (`.set('Cookie', session.refreshCookie)`) or goes through a session's own agent.
 */
export type TestHttp = Pick<
  ReturnType<typeof request>,
  'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options'
>;

export interface TestApp {
  readonly app: NestExpressApplication;
  /** Cookie-less: see {@link TestHttp}; `signUp(t)` gives each session an agent of its own. */
  readonly http: TestHttp;
  readonly baseUrl: string;
  readonly config: AppConfig;
  readonly clock: TestClock;
  readonly logs: LogCapture;
  close(): Promise<void>;
}

function testEnv(
  dataDir: string,
  overrides: TestAppOptions['env'],
  sharedDatabase = false,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    EMBEDDED_MONGO_DATA: join(dataDir, 'embedded-mongo.bson'),
    UPLOADS_DIR: join(dataDir, 'uploads'),
    // Mails (no SMTP_URL in tests) land in the app's own directory, removed on close.
    MAIL_DIR: join(dataDir, 'mail'),
    // Fast hashes, and signup limits loose enough for suites that create many users from one
    // address; suites about these limits pass their own values.
    BCRYPT_COST: '4',
    SIGNUP_RATE_PER_HOUR: '100000',
    COUPON_REDEEM_RATE_PER_MINUTE: '100000',
    ...overrides,
  };
  // Redis only where a suite asks for it, under keys of its own unless it names a prefix
  // (two apps sharing one prefix act as two instances of one deployment).
  const wantsRedis = overrides !== undefined && Object.hasOwn(overrides, 'REDIS_URL');
  if (!wantsRedis) delete env.REDIS_URL;
  // No real mail from tests unless a suite names an SMTP server.
  if (!(overrides !== undefined && Object.hasOwn(overrides, 'SMTP_URL'))) delete env.SMTP_URL;
  if (env.REDIS_URL && !(overrides && Object.hasOwn(overrides, 'REDIS_KEY_PREFIX'))) {
    env.REDIS_KEY_PREFIX = `test-${randomUUID()}:`;
  }
  const mongoUrl = env.MONGO_URL?.trim();
  if (mongoUrl && !sharedDatabase)
    env.MONGO_URL = withDatabaseName(mongoUrl, uniqueTestDatabaseName());
  return env;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // nestjs-pino keeps the first app's logger for logs outside requests; each app gets its own.
  __resetOutOfContextForTests();
  const dataDir = await mkdtemp(join(tmpdir(), 'dobkonektor-test-'));
  const config = new AppConfig(loadConfig(testEnv(dataDir, options.env, options.sharedDatabase)));
  const clock = new TestClock();
  const logs = new LogCapture();
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config), ...(options.imports ?? [])],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .overrideProvider(LOG_DESTINATION)
    .useValue(logs)
    .setLogger(logs.bootLogger())
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const close = async (): Promise<void> => {
    if (config.get('MONGO_URL') !== undefined && options.sharedDatabase !== true) {
      await app.get<Connection>(getConnectionToken()).dropDatabase();
    }
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  // request(baseUrl) is stateless (each method call builds a new request, with no cookie jar).
  return { app, http: request(baseUrl), baseUrl, config, clock, logs, close };
}
