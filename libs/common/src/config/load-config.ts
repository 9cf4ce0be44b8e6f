import { type EnvValue, type EnvVar, EnvVarProblem } from './env-var';
import { type EnvConfig, envSchema } from './env.schema';

export const MIN_PRODUCTION_SECRET_LENGTH = 32;

export interface ConfigProblem {
  readonly name: string;
  readonly problem: string;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      [
        'Invalid configuration (values are not shown):',
        ...problems.map(({ name, problem }) => `  - ${name}: ${problem}`),
      ].join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

type Schema = Record<string, EnvVar<unknown>>;
type ConfigOf<S extends Schema> = { readonly [K in keyof S]: EnvValue<S[K]> };

function rawValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function productionProblem(spec: EnvVar<unknown>, value: unknown): string | undefined {
  if (spec.requiredInProduction && value === undefined) {
    return 'is required when NODE_ENV=production';
  }
  if (spec.secret && (typeof value !== 'string' || value.length < MIN_PRODUCTION_SECRET_LENGTH)) {
    return `must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters when NODE_ENV=production`;
  }
  return spec.productionRule?.(value);
}

export function validateEnv<S extends Schema>(env: NodeJS.ProcessEnv, schema: S): ConfigOf<S> {
  const production = rawValue(env, 'NODE_ENV') === 'production';
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    const raw = rawValue(env, name);
    try {
      values[name] = raw === undefined ? spec.defaultValue : spec.parse(raw);
    } catch (error) {
      if (!(error instanceof EnvVarProblem)) throw error;
      problems.push({ name, problem: error.message });
      continue;
    }
    const problem = production ? productionProblem(spec, values[name]) : undefined;
    if (problem !== undefined) problems.push({ name, problem });
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return values as ConfigOf<S>;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  return validateEnv(env, envSchema);
}
