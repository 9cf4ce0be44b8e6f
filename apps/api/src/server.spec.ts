import { AppConfig, loadConfig } from '@app/common';
import { listenHost } from './server';

describe('listenHost', () => {
  const production = {
    NODE_ENV: 'production',
    MONGO_URL: 'mongodb://db:27017/app',
    JWT_SECRET: 'j'.repeat(32),
    METRICS_TOKEN: 'm'.repeat(32),
  };
  const host = (env: NodeJS.ProcessEnv): string => listenHost(new AppConfig(loadConfig(env)));

  it('binds to loopback only outside production unless HOST says otherwise', () => {
    expect(host({})).toBe('127.0.0.1');
    expect(host({ NODE_ENV: 'test' })).toBe('127.0.0.1');
    expect(host({ HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });

  it('binds to every interface in production unless HOST says otherwise', () => {
    expect(host(production)).toBe('0.0.0.0');
    expect(host({ ...production, HOST: '10.0.0.5' })).toBe('10.0.0.5');
  });
});
