import { randomBytes } from 'node:crypto';

export function uniqueTestDatabaseName(): string {
  return `dobkonektor_test_${randomBytes(6).toString('hex')}`;
}

export function withDatabaseName(uri: string, name: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${name}`);
}
