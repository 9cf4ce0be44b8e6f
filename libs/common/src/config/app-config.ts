import type { EnvConfig, EnvName } from './env.schema';
import { loadConfig } from './load-config';

export class AppConfig {
  constructor(private readonly values: EnvConfig) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
    return new AppConfig(loadConfig(env));
  }

  get<K extends EnvName>(name: K): EnvConfig[K] {
    return this.values[name];
  }

  get isProduction(): boolean {
    return this.values.NODE_ENV === 'production';
  }
}
