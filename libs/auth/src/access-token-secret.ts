import { Logger, type Provider } from '@nestjs/common';
import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppConfig } from '@app/common';

/** Injection token of the HS256 key that signs and verifies access tokens. */
export const ACCESS_TOKEN_SECRET = Symbol('ACCESS_TOKEN_SECRET');

const MIN_SECRET_LENGTH = 32;

/** Where the development secret is kept: beside the embedded store's data file. */
export function developmentSecretFile(config: AppConfig): string {
  return join(dirname(config.get('EMBEDDED_MONGO_DATA')), 'jwt-secret');
}

/**
 * Reads the development secret, or creates it (256 random bits, readable by the owner only) on
 * first use. Kept on disk so that sign-ins survive restarts of `nest start --watch`.
 */
export function loadOrCreateDevelopmentSecret(file: string): { secret: string; created: boolean } {
  try {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(
        `${file} holds no usable secret (fewer than ${MIN_SECRET_LENGTH} characters): delete it to have a new one generated`,
      );
    }
    return { secret, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return loadOrCreateDevelopmentSecret(file);
    }
    throw error;
  }
  return { secret, created: true };
}

/** JWT_SECRET when set (required in production); otherwise the development secret on disk. */
export function resolveAccessTokenSecret(config: AppConfig): string {
  const configured = config.get('JWT_SECRET');
  if (configured !== undefined) return configured;
  const file = developmentSecretFile(config);
  const { secret, created } = loadOrCreateDevelopmentSecret(file);
  new Logger('Auth').warn(
    `JWT_SECRET is unset: access tokens are signed with the development secret ${created ? 'generated into' : 'kept in'} ${file} (set JWT_SECRET in production)`,
  );
  return secret;
}

export const accessTokenSecretProvider: Provider = {
  provide: ACCESS_TOKEN_SECRET,
  inject: [AppConfig],
  useFactory: resolveAccessTokenSecret,
};

/**
 * The secret as the key object jsonwebtoken verifies with. Given a string (or Buffer),
 * jsonwebtoken first tries to parse it as a PEM public key on every verification, which fails
 * and costs about a tenth of an authenticated request; a KeyObject is used as is. The cast is
 * for the option types of passport-jwt and @nestjs/jwt, which name only string and Buffer.
 */
export function verificationKey(secret: string): Buffer {
  return createSecretKey(Buffer.from(secret, 'utf8')) as unknown as Buffer;
}
