/**
 * An OpenAPI 3.0 document read for the contract suite: its operations, a checker of the schema
 * keywords the API uses, valid values synthesised from examples and bounds, and values that break
 * a schema by one rule each. Anything the document uses that this file does not know (a keyword, a
 * format, a parameter location, a media type, a security scheme) throws, so a new kind of route or
 * field cannot slip past the contract unchecked.
 */

export interface Schema {
  $ref?: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  minProperties?: number;
  maxProperties?: number;
  items?: Schema;
  example?: unknown;
  default?: unknown;
  description?: string;
}

const KEYWORDS = new Set<string>([
  '$ref',
  'type',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'enum',
  'nullable',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'maxProperties',
  'items',
  'example',
  'default',
  'description',
]);

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type Method = (typeof METHODS)[number];
export type Location = 'path' | 'query';

export interface Parameter {
  name: string;
  in: Location;
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** `POST /api/v1/auth/signup`, for messages. */
  id: string;
  method: Method;
  path: string;
  parameters: Parameter[];
  body?: { required: boolean; schema: Schema };
  /** Names of the security schemes of the first requirement; empty for a public route. */
  security: string[];
}

export interface ApiRequest {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  /** Undefined: no body at all. */
  body?: unknown;
}

export interface Document {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, unknown> };
}

function unsupported(what: string): Error {
  return new Error(
    `the OpenAPI contract suite cannot handle ${what}: teach test/support/openapi-requests.ts`,
  );
}

export class Contract {
  constructor(private readonly document: Document) {}

  resolve(schema: Schema): Schema {
    if (schema.$ref === undefined) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = this.document.components?.schemas?.[name];
    if (target === undefined) throw new Error(`unresolved ${schema.$ref}`);
    return this.resolve(target);
  }

  /** Every operation of the document, or an error naming the first one it cannot handle. */
  operations(): Operation[] {
    const operations: Operation[] = [];
    for (const [path, item] of Object.entries(this.document.paths)) {
      for (const [key, value] of Object.entries(item)) {
        if (!(METHODS as readonly string[]).includes(key)) {
          throw unsupported(`"${key}" of ${path}`);
        }
        operations.push(this.operation(key as Method, path, value as RawOperation));
      }
    }
    return operations;
  }

  private operation(method: Method, path: string, raw: RawOperation): Operation {
    const id = `${method.toUpperCase()} ${path}`;
    const parameters = (raw.parameters ?? []).map((parameter): Parameter => {
      if (parameter.in !== 'path' && parameter.in !== 'query') {
        throw unsupported(`the ${parameter.in} parameter ${parameter.name} of ${id}`);
      }
      return {
        name: parameter.name,
        in: parameter.in,
        required: parameter.required ?? false,
        schema: parameter.schema,
      };
    });
    let body: Operation['body'];
    if (raw.requestBody !== undefined) {
      const types = Object.keys(raw.requestBody.content);
      // Uploads (multipart/form-data) are sent without their file, which no document-built
      // request can carry: the route answers that without 400 VALIDATION_FAILED, and the upload
      // itself is tested in its own suite (test/avatars.e2e-spec.ts).
      if (types.join() !== 'application/json' && types.join() !== 'multipart/form-data')
        throw unsupported(`the body types ${types.join(', ')} of ${id}`);
      if (types.join() === 'application/json') {
        body = {
          required: raw.requestBody.required ?? false,
          schema: raw.requestBody.content['application/json'].schema,
        };
      }
    }
    const security = Object.keys(raw.security?.[0] ?? {});
    for (const scheme of security) {
      if (this.document.components?.securitySchemes?.[scheme] === undefined) {
        throw new Error(`${id} names the undeclared security scheme ${scheme}`);
      }
    }
    return { id, method, path, parameters, body, security };
  }

  /** Why `value` is not valid by `schema` (empty when it is); `at` names the place. */
  problems(schema: Schema, value: unknown, at: string): string[] {
    const s = this.resolve(schema);
    for (const keyword of Object.keys(s)) {
      if (!KEYWORDS.has(keyword)) throw unsupported(`the schema keyword "${keyword}" at ${at}`);
    }
    if (value === null) return s.nullable === true ? [] : [`${at} must not be null`];
    if (s.enum !== undefined && !s.enum.includes(value)) return [`${at} is not one of the enum`];
    switch (s.type) {
      case 'string':
        return typeof value === 'string' ? this.stringProblems(s, value, at) : [`${at} not string`];
      case 'integer':
      case 'number': {
        const isNumber = typeof value === 'number' && Number.isFinite(value);
        if (!isNumber || (s.type === 'integer' && !Number.isInteger(value))) {
          return [`${at} is not ${s.type === 'integer' ? 'an integer' : 'a number'}`];
        }
        if (s.minimum !== undefined && value < s.minimum) return [`${at} is below the minimum`];
        if (s.maximum !== undefined && value > s.maximum) return [`${at} is above the maximum`];
        return [];
      }
      case 'boolean':
        return typeof value === 'boolean' ? [] : [`${at} is not a boolean`];
      case 'array':
        return Array.isArray(value)
          ? value.flatMap((item, index) =>
              s.items === undefined ? [] : this.problems(s.items, item, `${at}.${index}`),
            )
          : [`${at} is not an array`];
      case 'object':
      case undefined:
        return this.objectProblems(s, value, at);
    }
  }

  private stringProblems(s: Schema, value: string, at: string): string[] {
    const found: string[] = [];
    const length = Array.from(value).length;
    if (s.minLength !== undefined && length < s.minLength) found.push(`${at} is too short`);
    if (s.maxLength !== undefined && length > s.maxLength) found.push(`${at} is too long`);
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) {
      found.push(`${at} does not match its pattern`);
    }
    if (s.format !== undefined && !FORMATS[s.format as keyof typeof FORMATS](value)) {
      found.push(`${at} is not a valid ${s.format}`);
    }
    return found;
  }

  private objectProblems(s: Schema, value: unknown, at: string): string[] {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return [`${at} is not an object`];
    }
    const record = value as Record<string, unknown>;
    const properties = s.properties ?? {};
    const found = (s.required ?? [])
      .filter((name) => record[name] === undefined)
      .map((name) => `${at}.${name} is required`);
    if (s.minProperties !== undefined && Object.keys(record).length < s.minProperties) {
      found.push(`${at} has too few properties`);
    }
    if (s.maxProperties !== undefined && Object.keys(record).length > s.maxProperties) {
      found.push(`${at} has too many properties`);
    }
    for (const [name, item] of Object.entries(record)) {
      const where = `${at}.${name}`;
      if (Object.hasOwn(properties, name))
        found.push(...this.problems(properties[name], item, where));
      else if (s.additionalProperties === false) found.push(`${where} is not allowed`);
      else if (typeof s.additionalProperties === 'object') {
        found.push(...this.problems(s.additionalProperties, item, where));
      }
    }
    return found;
  }

  /**
   * A valid value: `examples` takes each field's example (or default), `upper` the largest values
   * the bounds allow and every optional field (as many as maxProperties allows), `lower` the
   * smallest and only required fields.
   * Patterned and formatted strings always take their example (a pattern without one throws).
   */
  value(schema: Schema, style: Style, at: string): unknown {
    const s = this.resolve(schema);
    const example = s.example ?? s.default;
    if (s.enum !== undefined) {
      if (style === 'examples' && example !== undefined) return example;
      return style === 'upper' ? s.enum[s.enum.length - 1] : s.enum[0];
    }
    switch (s.type) {
      case 'string':
        return stringValue(s, style, at);
      case 'integer':
      case 'number': {
        const fraction = s.type === 'number' ? 0.5 : 0;
        if (style === 'upper' && s.maximum !== undefined) return s.maximum - fraction;
        if (style === 'lower' && s.minimum !== undefined) return s.minimum + fraction;
        return typeof example === 'number' ? example : (s.minimum ?? 1) + fraction;
      }
      case 'boolean':
        return style === 'examples' && typeof example === 'boolean' ? example : style !== 'lower';
      case 'array':
        return style === 'lower' || s.items === undefined ? [] : [this.value(s.items, style, at)];
      case 'object':
      case undefined: {
        // `lower`: the required fields, and optional ones only as far as minProperties asks;
        // the others: every optional field maxProperties allows (in the document's order).
        const required = (s.required ?? []).length;
        let optional =
          style === 'lower'
            ? (s.minProperties ?? 0) - required
            : (s.maxProperties ?? Infinity) - required;
        const entries = Object.entries(s.properties ?? {})
          .filter(([name]) => (s.required ?? []).includes(name) || optional-- > 0)
          .map(([name, property]) => [name, this.value(property, style, `${at}.${name}`)]);
        return Object.fromEntries(entries);
      }
    }
  }

  /** Fields of an object schema: name, schema (resolved) and whether it is required. */
  fields(schema: Schema): { name: string; schema: Schema; required: boolean }[] {
    const s = this.resolve(schema);
    return Object.entries(s.properties ?? {}).map(([name, property]) => ({
      name,
      schema: this.resolve(property),
      required: (s.required ?? []).includes(name),
    }));
  }

  /**
   * Values that break `schema` (each by one rule), for a field sent in `where`: a wrong type,
   * null, outside the bounds, off the pattern, the format or the enum.
   */
  brokenValues(schema: Schema, where: 'body' | Location, example: unknown): Broken[] {
    const s = this.resolve(schema);
    const broken: Broken[] = [];
    const text = where !== 'body';
    if (s.type === 'string') {
      if (!text) broken.push({ rule: 'a number instead of a string', value: 12345 });
      if (s.minLength !== undefined && s.minLength > 0) {
        broken.push({ rule: 'shorter than minLength', value: 'x'.repeat(s.minLength - 1) });
      }
      if (s.maxLength !== undefined) {
        broken.push({ rule: 'longer than maxLength', value: 'x'.repeat(s.maxLength + 1) });
      }
      if (s.pattern !== undefined) {
        const pattern = new RegExp(s.pattern, 'u');
        const off = ['!', '\u0000', 'x', `${String(example)}!`].find((v) => !pattern.test(v));
        if (off === undefined) throw unsupported(`a pattern that "!" matches: ${s.pattern}`);
        broken.push({ rule: 'off the pattern', value: off });
      }
      if (s.format !== undefined && s.format !== 'password') {
        broken.push({ rule: `not a ${s.format}`, value: BROKEN_FORMATS[s.format] });
      }
    }
    if (s.type === 'integer' || s.type === 'number') {
      broken.push(
        text
          ? { rule: 'not a number', value: 'abc' }
          : { rule: 'a string instead of a number', value: String(example) },
      );
      if (s.minimum !== undefined) broken.push({ rule: 'below minimum', value: s.minimum - 1 });
      if (s.maximum !== undefined) broken.push({ rule: 'above maximum', value: s.maximum + 1 });
      if (s.type === 'integer') {
        broken.push({ rule: 'not an integer', value: (s.minimum ?? 0) + 0.5 });
      }
    }
    if (s.type === 'boolean') {
      broken.push({ rule: 'not a boolean', value: text ? 'maybe' : 'true' });
    }
    if (s.type === 'object' || s.type === 'array') {
      broken.push({ rule: `not an ${s.type}`, value: 'x' });
    }
    if (s.enum !== undefined) broken.push({ rule: 'not in the enum', value: 'not-in-the-enum' });
    if (!text && s.nullable !== true) broken.push({ rule: 'null', value: null });
    return broken;
  }
}

export type Style = 'examples' | 'upper' | 'lower';

export interface Broken {
  rule: string;
  value: unknown;
}

interface RawOperation {
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  security?: Record<string, string[]>[];
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** The formats of OpenAPI 3.0 the API uses, as RFC 3339 and RFC 5321 (simplified) read them. */
const FORMATS = {
  email: (value: string) => /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value),
  date: (value: string) => {
    const match = DATE.exec(value);
    return match !== null && isCalendarDay(+match[1], +match[2], +match[3]);
  },
  'date-time': (value: string) => {
    const match = DATE_TIME.exec(value);
    return match !== null && isCalendarDay(+match[1], +match[2], +match[3]);
  },
  password: () => true,
};

const BROKEN_FORMATS: Record<string, string> = {
  email: 'not-an-email',
  date: '2001-02-29',
  'date-time': '2026-02-30T10:00:00Z',
};

function stringValue(s: Schema, style: Style, at: string): string {
  if (s.format !== undefined && !(s.format in FORMATS)) throw unsupported(`format ${s.format}`);
  if (s.pattern !== undefined || s.format !== undefined) {
    if (typeof s.example === 'string') return s.example;
    if (s.pattern !== undefined) {
      throw new Error(`${at} has a pattern but no example: add an example to the document`);
    }
    return { email: 'someone@example.com', date: '2000-01-01', password: 'x'.repeat(8) }[
      s.format as 'email'
    ];
  }
  const example = typeof s.example === 'string' ? s.example : undefined;
  if (style === 'upper' && s.maxLength !== undefined) return 'x'.repeat(s.maxLength);
  if (style === 'lower') return 'x'.repeat(s.minLength ?? 0);
  return example ?? 'x'.repeat(Math.max(s.minLength ?? 1, 1));
}

/** Variations of an example string: case, spacing, dashes, one symbol less or more, noise. */
export function mutations(example: string): string[] {
  return [
    ...new Set([
      example,
      example.toLowerCase(),
      example.toUpperCase(),
      ` ${example} `,
      `\t${example}\n`,
      example.replace(/-/g, '\u2013'),
      example.replace(/-/g, ''),
      example.slice(0, -1),
      example.slice(1),
      `${example}${example.slice(-1)}`,
      `${example}!`,
      `\u0000${example}`,
      `0x${example.slice(2)}`,
      '',
    ]),
  ];
}
