import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  type OpenAPIObject,
  type ReferenceObject,
  type SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { REFRESH_COOKIE } from '@app/auth';
import { version } from '../../../package.json';

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

const DESCRIPTION = [
  'DobKonektor: an invitation-only community where people meet others born on the same day.',
  '',
  'REST paths live under `/api/v1`; `/health/*`, `/metrics` and `/docs` sit outside it.',
  'Send `Authorization: Bearer <accessToken>` on protected routes.',
  '',
  'Every error answers `{ statusCode, error, message, details, requestId }`: `error` is a stable',
  'machine code, `details` names each bad field, `requestId` echoes the `X-Request-Id` header',
  '(yours when it is 1-128 characters of letters, digits and "._:-", else a generated one).',
  '',
  'Schemas are closed: every request body schema has `additionalProperties: false`, and a body',
  'field it does not list answers 400 `VALIDATION_FAILED`, as does a query parameter a route does',
  'not list when the route takes query parameters. Keys starting with "$" or containing "." in a',
  'body or query answer 400 too. Patterns are ECMAScript 5.1 regular expressions (no `u` flag',
  'needed). A request valid by its schema can still answer 400 `VALIDATION_FAILED` for rules that',
  'depend on the time or on stored data (a birth date in the future, an expiry in the past); their',
  'descriptions say so.',
].join('\n');

type Schema = SchemaObject | ReferenceObject;

function isReference(schema: Schema): schema is ReferenceObject {
  return '$ref' in schema;
}

/**
 * Sets `additionalProperties: false` on every object schema a request body reaches (components
 * through `$ref` included) that does not say otherwise, because the ValidationPipe answers 400 to
 * unknown fields (whitelist + forbidNonWhitelisted). Response schemas stay open: a client must
 * tolerate fields added later.
 */
export function closeRequestBodySchemas(document: OpenAPIObject): void {
  const components = document.components?.schemas ?? {};
  const seen = new Set<SchemaObject>();
  const close = (schema: Schema | undefined): void => {
    if (schema === undefined) return;
    if (isReference(schema)) {
      close(components[schema.$ref.replace('#/components/schemas/', '')]);
      return;
    }
    if (seen.has(schema)) return;
    seen.add(schema);
    if (schema.type === 'object' || schema.properties !== undefined) {
      schema.additionalProperties ??= false;
    }
    Object.values(schema.properties ?? {}).forEach(close);
    if (typeof schema.additionalProperties === 'object') close(schema.additionalProperties);
    close(schema.items);
    [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].forEach(close);
  };
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of [
      pathItem.get,
      pathItem.put,
      pathItem.post,
      pathItem.delete,
      pathItem.patch,
    ]) {
      const body = operation?.requestBody;
      if (body === undefined || '$ref' in body) continue;
      for (const media of Object.values(body.content)) close(media.schema);
    }
  }
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('DobKonektor API')
    .setDescription(DESCRIPTION)
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addCookieAuth(
      REFRESH_COOKIE,
      {
        type: 'apiKey',
        in: 'cookie',
        description: 'The httpOnly refresh token cookie set by signup, login and refresh',
      },
      REFRESH_COOKIE,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  closeRequestBodySchemas(document);
  return document;
}

export function setupOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: DOCS_JSON_PATH,
    customSiteTitle: 'DobKonektor API docs',
    swaggerOptions: { persistAuthorization: true, validatorUrl: null },
  });
}
