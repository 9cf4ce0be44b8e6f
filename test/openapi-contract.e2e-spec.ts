import SwaggerParser from '@apidevtools/swagger-parser';
import type { Response } from 'supertest';
import { createTestApp, signUp, signUpAdmin, type TestApp } from './support';
import {
  type ApiRequest,
  Contract,
  type Document,
  type Operation,
  type Schema,
} from './support/openapi-requests';
import { RequestVariants, type Variant } from './support/openapi-variants';
import { closeAll } from './support/teardown';

/**
 * The contract of issue 7: for every operation of /docs-json, a request valid by the document is
 * never refused with 400 VALIDATION_FAILED, and one that breaks the document is. The requests are
 * built from the document alone (test/support/openapi-*.ts), so a new route is checked as soon as
 * it is documented, and one the suite cannot handle fails it.
 */

/** The document's examples (expiry dates, birth dates) are written for this instant. */
const EXAMPLES_TIME = new Date('2026-11-21T10:00:00Z');

interface Verdict {
  label: string;
  status: number;
  error?: string;
}

function isValidationFailure(verdict: Verdict): boolean {
  return verdict.status === 400 && verdict.error === 'VALIDATION_FAILED';
}

describe('OpenAPI contract: the document says exactly what the server accepts', () => {
  let t: TestApp;
  let document: Document;
  let contract: Contract;
  let variants: RequestVariants;
  let operations: Operation[];

  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMITS: 'off' } });
    t.clock.set(EXAMPLES_TIME);
    const res = await t.http.get('/docs-json');
    expect(res.status).toBe(200);
    document = res.body as Document;
    contract = new Contract(document);
    variants = new RequestVariants(contract);
    operations = contract.operations();
  });

  afterAll(async () => {
    await closeAll(t);
  });

  /** Fresh credentials for each request, so routes that end sessions end only their own. */
  async function credentials(operation: Operation): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    for (const scheme of operation.security) {
      if (scheme === 'bearer') {
        const admin = operation.path.startsWith('/api/v1/admin/');
        headers.Authorization = (admin ? await signUpAdmin(t) : await signUp(t)).auth.Authorization;
      } else if (scheme === 'refresh_token') {
        headers.Cookie = (await signUp(t)).refreshCookie;
      } else {
        throw new Error(`${operation.id}: the suite has no credentials for ${scheme}`);
      }
    }
    return headers;
  }

  async function send(operation: Operation, { path, query, body }: ApiRequest): Promise<Response> {
    const url = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
      encodeURIComponent(String(path[name])),
    );
    const search = new URLSearchParams(
      Object.fromEntries(Object.entries(query).map(([name, value]) => [name, String(value)])),
    ).toString();
    const pending = t.http[operation.method](search === '' ? url : `${url}?${search}`).set(
      await credentials(operation),
    );
    return body === undefined ? pending : pending.send(body as object);
  }

  async function verdict(operation: Operation, variant: Variant): Promise<Verdict> {
    const res = await send(operation, variant.request);
    const error = (res.body as { error?: string } | undefined)?.error;
    return { label: `${operation.id}: ${variant.label}`, status: res.status, error };
  }

  it('is a valid OpenAPI 3.0 document that the suite can read in full', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    expect(document).toMatchObject({ openapi: expect.stringMatching(/^3\.0\./) as unknown });
    expect(operations.length).toBeGreaterThan(20);
  });

  it('closes every request body schema, nested objects included', () => {
    const open: string[] = [];
    const check = (schema: Schema, at: string): void => {
      const s = contract.resolve(schema);
      if (s.type !== 'object' && s.properties === undefined) return;
      if (s.additionalProperties !== false) open.push(at);
      for (const field of contract.fields(s)) check(field.schema, `${at}.${field.name}`);
    };
    for (const operation of operations) {
      if (operation.body) check(operation.body.schema, `${operation.id} body`);
    }
    expect(open).toEqual([]);
  });

  it('never answers 400 VALIDATION_FAILED to a request valid by the document', async () => {
    const invalidExamples: string[] = [];
    const wrong: Verdict[] = [];
    for (const operation of operations) {
      for (const variant of variants.validVariants(operation)) {
        const problems = variants.problems(operation, variant.request);
        if (problems.length > 0) {
          invalidExamples.push(`${operation.id}: ${variant.label}: ${problems.join('; ')}`);
          continue;
        }
        const result = await verdict(operation, variant);
        // The credentials are right, so a protected route never answers 401 or 403 here.
        const denied = operation.security.length > 0 && [401, 403].includes(result.status);
        if (isValidationFailure(result) || denied || result.status >= 500) wrong.push(result);
      }
    }
    expect(invalidExamples).toEqual([]);
    expect(wrong).toEqual([]);
  }, 120_000);

  it('answers 400 VALIDATION_FAILED to a request that breaks the document in one place', async () => {
    const notBroken: string[] = [];
    const accepted: Verdict[] = [];
    for (const operation of operations) {
      for (const variant of variants.brokenVariants(operation)) {
        if (variants.problems(operation, variant.request).length === 0) {
          notBroken.push(`${operation.id}: ${variant.label}`);
          continue;
        }
        const result = await verdict(operation, variant);
        if (!isValidationFailure(result)) accepted.push(result);
      }
    }
    expect(notBroken).toEqual([]);
    expect(accepted).toEqual([]);
  }, 120_000);

  it('agrees with the server on variations of every patterned example (case, spaces, dashes, length)', async () => {
    const disagreements: (Verdict & { documented: boolean })[] = [];
    let probes = 0;
    for (const operation of operations) {
      for (const variant of variants.patternVariants(operation)) {
        const documented = variants.problems(operation, variant.request).length === 0;
        const result = await verdict(operation, variant);
        probes += 1;
        if (result.status >= 500 || isValidationFailure(result) === documented) {
          disagreements.push({ ...result, documented });
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(probes).toBeGreaterThan(50);
  }, 120_000);
});
