import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
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
  'Unknown body fields, and keys starting with "$" or containing "." in a body or query, answer 400.',
].join('\n');

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('DobKonektor API')
    .setDescription(DESCRIPTION)
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

export function setupOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: DOCS_JSON_PATH,
    customSiteTitle: 'DobKonektor API docs',
    swaggerOptions: { persistAuthorization: true, validatorUrl: null },
  });
}
