import { isIP } from 'node:net';
export class EnvVarProblem extends Error {}

export interface EnvVar<T> {
  readonly description: string;
  readonly defaultValue: T;
  readonly secret: boolean;
  readonly requiredInProduction: boolean;
  /** A further rule in production: the problem with the value, or undefined when it is fine. */
  productionRule?(value: T): string | undefined;
  parse(raw: string): T;
}

export type EnvValue<V> = V extends EnvVar<infer T> ? T : never;

interface VarOptions<T> {
  description: string;
  default: T;
  secret?: boolean;
  requiredInProduction?: boolean;
  productionRule?: (value: T) => string | undefined;
}

function envVar<T>(options: VarOptions<T>, parse: (raw: string) => T): EnvVar<T> {
  return {
    description: options.description,
    defaultValue: options.default,
    secret: options.secret ?? false,
    requiredInProduction: options.requiredInProduction ?? false,
    productionRule: options.productionRule,
    parse,
  };
}

export function stringVar<T extends string | undefined>(
  options: Omit<VarOptions<T>, 'productionRule'>,
): EnvVar<string | T> {
  return envVar<string | T>(options, (raw) => raw);
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** An address to listen on: an IPv4 or IPv6 address, or a host name. */
export function hostVar<T extends string | undefined>(
  options: Omit<VarOptions<T>, 'productionRule'>,
): EnvVar<string | T> {
  return envVar<string | T>(options, (raw) => {
    if (isIP(raw) === 0 && !HOSTNAME.test(raw)) {
      throw new EnvVarProblem('must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::) or a host name');
    }
    return raw;
  });
}

export function intVar(options: VarOptions<number> & { min: number; max: number }): EnvVar<number> {
  return envVar(options, (raw) => {
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < options.min || value > options.max) {
      throw new EnvVarProblem(`must be an integer from ${options.min} to ${options.max}`);
    }
    return value;
  });
}

export function enumVar<const V extends string>(
  values: readonly V[],
  options: VarOptions<V>,
): EnvVar<V> {
  return envVar(options, (raw) => {
    const value = values.find((candidate) => candidate === raw);
    if (value === undefined) throw new EnvVarProblem(`must be one of: ${values.join(', ')}`);
    return value;
  });
}

export function urlVar<T extends string | undefined>(
  protocols: readonly string[],
  options: Omit<VarOptions<T>, 'productionRule'>,
): EnvVar<string | T> {
  return envVar<string | T>(options, (raw) => {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\/[^/?#\s]+/i.exec(raw)?.[1]?.toLowerCase();
    if (scheme === undefined || !protocols.includes(`${scheme}:`)) {
      throw new EnvVarProblem(
        `must be a URL starting with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}`,
      );
    }
    return raw;
  });
}

export function originListVar(options: VarOptions<string[]>): EnvVar<string[]> {
  return envVar(options, (raw) => {
    const origins = raw
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin.length > 0);
    if (origins.some((origin) => !/^https?:\/\/[^/\s]+$/.test(origin))) {
      throw new EnvVarProblem(
        'must be a comma-separated list of origins like https://app.example.com',
      );
    }
    return origins;
  });
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

export function byteSizeVar(options: VarOptions<number> & { max: number }): EnvVar<number> {
  return envVar(options, (raw) => {
    const match = /^(\d+)\s*(b|kb|mb)$/i.exec(raw.trim());
    const bytes = match ? Number(match[1]) * (BYTE_UNITS[match[2].toLowerCase()] ?? 0) : 0;
    if (bytes < 1 || bytes > options.max) {
      throw new EnvVarProblem(`must be a size like 100kb or 1mb, at most ${options.max} bytes`);
    }
    return bytes;
  });
}

export type TrustProxy = boolean | number | string[];

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

export function trustProxyVar(options: VarOptions<TrustProxy>): EnvVar<TrustProxy> {
  return envVar(options, (raw): TrustProxy => {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    if (/^\d{1,2}$/.test(raw)) return Number(raw);
    const entries = raw.split(',').map((entry) => entry.trim());
    const valid = entries.every(
      (entry) => PROXY_NAMES.includes(entry) || /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(entry),
    );
    if (!valid) {
      throw new EnvVarProblem(
        'must be true, false, a hop count, or a comma-separated list of addresses, subnets or loopback/linklocal/uniquelocal',
      );
    }
    return entries;
  });
}
