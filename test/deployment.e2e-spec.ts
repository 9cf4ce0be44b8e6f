import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '@app/common';
import { ROOT } from './support/child-process';

interface ComposeService {
  image?: string;
  build?: unknown;
  env_file?: string | string[];
  environment?: Record<string, string> | string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  container_name?: string;
}

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const schemaNames = Object.keys(envSchema);

function envExampleEntries(): { name: string; commented: boolean }[] {
  const lines = read('.env.example').split('\n');
  return lines.flatMap((line, index) => {
    const match = /^([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match === null) return [];
    return [{ name: match[1], commented: lines[index - 1]?.startsWith('#') ?? false }];
  });
}

function environmentNames(service: ComposeService): string[] {
  const environment = service.environment ?? {};
  return Array.isArray(environment)
    ? environment.map((entry) => entry.split('=')[0])
    : Object.keys(environment);
}

describe('configuration and deployment files agree', () => {
  const compose = load(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
  const { api, mongo, redis, nginx } = compose.services;

  it('.env.example lists every schema variable once, in schema order, each under a comment', () => {
    const entries = envExampleEntries();
    expect(entries.map(({ name }) => name)).toEqual(schemaNames);
    expect(entries.filter(({ commented }) => !commented)).toEqual([]);
  });

  it('every environment name the api service sets exists in the schema and in .env.example', () => {
    const names = environmentNames(api);
    expect(names.length).toBeGreaterThan(0);
    const known = new Set(envExampleEntries().map(({ name }) => name));
    expect(names.filter((name) => !schemaNames.includes(name) || !known.has(name))).toEqual([]);
    expect(names).toEqual(
      expect.arrayContaining(['NODE_ENV', 'MONGO_URL', 'REDIS_URL', 'TRUST_PROXY']),
    );
  });

  it('runs mongo:7 with a volume and a healthcheck, redis:7, and the api after both are healthy', () => {
    expect(mongo).toMatchObject({ image: 'mongo:7', volumes: ['mongo-data:/data/db'] });
    expect(mongo.healthcheck?.test.join(' ')).toContain('ping');
    expect(redis.image).toBe('redis:7');
    expect(redis.healthcheck?.test.join(' ')).toContain('ping');
    expect(api.env_file).toEqual('.env');
    expect(api.depends_on).toEqual({
      mongo: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
  });

  it('keeps the api scalable behind nginx: no host port or fixed name, nginx proxies from deploy/nginx.conf', () => {
    expect(api.ports).toBeUndefined();
    expect(api.container_name).toBeUndefined();
    expect(nginx.volumes).toEqual(['./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro']);
    expect(nginx.depends_on).toEqual({ api: { condition: 'service_healthy' } });
    const conf = read('deploy/nginx.conf');
    expect(conf).toMatch(/server api:3000;/);
    expect(conf).toMatch(/location \/socket\.io\/ \{[^}]*proxy_pass http:\/\/dobkonektor_api;/);
    for (const header of [
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection $connection_upgrade;',
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      'proxy_set_header X-Forwarded-Proto $scheme;',
    ]) {
      expect(conf).toContain(header);
    }
  });

  it('builds a multi-stage, non-root image that installs only runtime deps and checks /health/live', () => {
    const dockerfile = read('Dockerfile');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.every((stage) => /^node:\d+-/.test(stage))).toBe(true);
    const runtime = stages[stages.length - 1];
    expect(runtime).toContain('npm ci --omit=dev');
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/health\/live/m);
    const startProd = (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
      .scripts['start:prod'];
    expect(runtime).toContain(`CMD ["node", "${startProd.replace(/^node /, '')}"]`);
  });

  it('binds the containerised api to every interface: the Dockerfile and compose set HOST=0.0.0.0', () => {
    expect(read('Dockerfile')).toMatch(/^\s*HOST=0\.0\.0\.0 \\$/m);
    expect((api.environment as Record<string, string>).HOST).toBe('0.0.0.0');
  });

  it('documents every variable in the README configuration table', () => {
    const readme = read('README.md');
    const documented = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]*)` +\|/gm)].map(
      (match) => match[1],
    );
    expect(documented).toEqual(schemaNames);
  });
});
