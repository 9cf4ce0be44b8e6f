import {
  type ApiRequest,
  type Contract,
  type Location,
  mutations,
  type Operation,
  type Schema,
  type Style,
} from './openapi-requests';

/** A request for one operation and what it is meant to show. */
export interface Variant {
  label: string;
  request: ApiRequest;
}

const UNKNOWN_FIELD = 'unexpectedField';
const STYLES: readonly Style[] = ['examples', 'upper', 'lower'];

type Where = 'body' | Location;

interface Place {
  where: Where;
  name: string;
  schema: Schema;
  required: boolean;
}

/** A query or path value as the server reads it from the URL: a string, parsed by its type. */
function fromUrl(schema: Schema, value: unknown): unknown {
  const text = String(value);
  if (schema.type === 'integer' && /^-?\d+$/.test(text)) return Number(text);
  if (schema.type === 'number' && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (schema.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** `base` with one body field or parameter set to `value`, or left out when it is undefined. */
function withValue(base: ApiRequest, where: Where, name: string, value: unknown): ApiRequest {
  const replace = (values: Record<string, unknown>): Record<string, unknown> => {
    const others = Object.fromEntries(Object.entries(values).filter(([key]) => key !== name));
    return value === undefined ? others : { ...others, [name]: value };
  };
  return where === 'body'
    ? { ...base, body: replace(base.body as Record<string, unknown>) }
    : { ...base, [where]: replace(base[where]) };
}

/** Requests for one operation built from the document alone: valid ones and broken ones. */
export class RequestVariants {
  constructor(private readonly contract: Contract) {}

  /** Why the request is not valid by the document, as it travels (query values as strings). */
  problems(operation: Operation, req: ApiRequest): string[] {
    const problems: string[] = [];
    for (const location of ['path', 'query'] as const) {
      const documented = operation.parameters.filter((p) => p.in === location);
      const sent = req[location];
      for (const parameter of documented) {
        const value = sent[parameter.name];
        const at = `${location} ${parameter.name}`;
        if (value === undefined) {
          if (parameter.required) problems.push(`${at} is required`);
        } else {
          const read = fromUrl(parameter.schema, value);
          problems.push(...this.contract.problems(parameter.schema, read, at));
        }
      }
      // A route with query parameters refuses others; one without any ignores them.
      const names = new Set(documented.map((p) => p.name));
      for (const name of Object.keys(sent)) {
        if (documented.length > 0 && !names.has(name)) problems.push(`${location} ${name}?`);
      }
    }
    if (req.body === undefined) {
      if (operation.body?.required === true) problems.push('the body is required');
    } else if (operation.body === undefined) {
      problems.push('the route takes no body');
    } else {
      problems.push(...this.contract.problems(operation.body.schema, req.body, 'body'));
    }
    return problems;
  }

  /** The valid request of a style (path parameters always take their examples). */
  valid(operation: Operation, style: Style): ApiRequest {
    const req: ApiRequest = { path: {}, query: {} };
    for (const parameter of operation.parameters) {
      if (parameter.in === 'query' && style === 'lower' && !parameter.required) continue;
      const at = `${operation.id} ${parameter.in} ${parameter.name}`;
      const parameterStyle = parameter.in === 'path' ? 'examples' : style;
      req[parameter.in][parameter.name] = this.contract.value(parameter.schema, parameterStyle, at);
    }
    const omitBody = style === 'lower' && operation.body?.required === false;
    if (operation.body !== undefined && !omitBody) {
      req.body = this.contract.value(operation.body.schema, style, `${operation.id} body`);
    }
    return req;
  }

  /** The valid request in each style, plus one with every nullable body field null. */
  validVariants(operation: Operation): Variant[] {
    const variants: Variant[] = STYLES.map((style) => ({
      label: style,
      request: this.valid(operation, style),
    }));
    const nullable = this.places(operation).filter((p) => p.schema.nullable === true);
    if (nullable.length > 0) {
      const request = nullable.reduce(
        (req, place) => withValue(req, place.where, place.name, null),
        this.valid(operation, 'examples'),
      );
      variants.push({ label: 'nullable fields null', request });
    }
    return variants;
  }

  /** Requests that break the document in one place each: unknown fields, bad values, omissions. */
  brokenVariants(operation: Operation): Variant[] {
    const base = this.valid(operation, 'examples');
    const variants: Variant[] = [];
    if (operation.body !== undefined) {
      const body = { ...(base.body as object), [UNKNOWN_FIELD]: 1 };
      variants.push({ label: 'an unknown body field', request: { ...base, body } });
      if (this.contract.resolve(operation.body.schema).minProperties !== undefined) {
        variants.push({ label: 'an empty body', request: { ...base, body: {} } });
      }
    }
    if (operation.parameters.some((p) => p.in === 'query')) {
      const request = withValue(base, 'query', UNKNOWN_FIELD, 1);
      variants.push({ label: 'an unknown query parameter', request });
    }
    for (const place of this.places(operation)) {
      const sent =
        place.where === 'body' ? (base.body as Record<string, unknown>) : base[place.where];
      for (const broken of this.contract.brokenValues(
        place.schema,
        place.where,
        sent[place.name],
      )) {
        if (place.where === 'path' && broken.value === '') continue;
        variants.push({
          label: `${place.where} ${place.name} ${broken.rule} (${JSON.stringify(broken.value)})`,
          request: withValue(base, place.where, place.name, broken.value),
        });
      }
      if (place.required && place.where !== 'path') {
        const request = withValue(base, place.where, place.name, undefined);
        variants.push({ label: `${place.where} ${place.name} missing`, request });
      }
    }
    return variants;
  }

  /** For every patterned field or parameter, requests with variations of its example. */
  patternVariants(operation: Operation): Variant[] {
    const base = this.valid(operation, 'examples');
    return this.places(operation)
      .filter((place) => place.schema.pattern !== undefined)
      .flatMap((place) =>
        mutations(String(place.schema.example))
          .filter((value) => place.where !== 'path' || value !== '')
          .map((value) => ({
            label: `${place.where} ${place.name} = ${JSON.stringify(value)}`,
            request: withValue(base, place.where, place.name, value),
          })),
      );
  }

  /** The parameters and top-level body fields of an operation, their schemas resolved. */
  private places(operation: Operation): Place[] {
    const parameters = operation.parameters.map((p) => ({
      where: p.in,
      name: p.name,
      schema: this.contract.resolve(p.schema),
      required: p.required,
    }));
    const fields = operation.body
      ? this.contract.fields(operation.body.schema).map((f) => ({ where: 'body' as const, ...f }))
      : [];
    return [...parameters, ...fields];
  }
}
