import { createTestApp, INTERNAL_FAILURE_DETAIL, ProbesModule, type TestApp } from './support';
import { closeAll } from './support/teardown';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('error responses', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbesModule], env: { BODY_LIMIT: '2kb' } });
  });

  afterAll(async () => {
    await closeAll(t);
  });

  it('answers an unknown route with 404 NOT_FOUND in the shared error shape', async () => {
    const res = await t.http.get('/api/v1/no-such-route').set('x-request-id', 'trace-404');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'NOT_FOUND',
      message: 'Cannot GET /api/v1/no-such-route',
      details: [],
      requestId: 'trace-404',
    });
  });

  it('names each bad field, nested ones and unknown ones, in VALIDATION_FAILED details', async () => {
    const res = await t.http
      .post('/api/v1/test-probes')
      .send({ name: 7, tags: ['ok', 3], address: { city: 'X' }, role: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'VALIDATION_FAILED',
      message: 'Validation failed',
      details: [
        { field: 'role', message: 'is not an allowed field' },
        {
          field: 'name',
          message:
            'name must be longer than or equal to 2 and shorter than or equal to 40 characters; name must be a string',
        },
        { field: 'tags', message: 'each value in tags must be a string' },
        { field: 'address.city', message: 'city must be longer than or equal to 2 characters' },
      ],
      requestId: expect.stringMatching(UUID) as unknown,
    });
  });

  it('validates and converts query parameters', async () => {
    const res = await t.http.get('/api/v1/test-probes/slow?ms=soon');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      details: [
        {
          field: 'ms',
          message: expect.stringContaining('ms must be an integer number') as unknown,
        },
      ],
    });
    const ok = await t.http.get('/api/v1/test-probes/slow?ms=0');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ waitedMs: 0 });
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await t.http
      .post('/api/v1/test-probes')
      .set('content-type', 'application/json')
      .send('{"name": "abc",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'MALFORMED_JSON',
      message: 'The request body is not valid JSON',
      details: [],
      requestId: res.headers['x-request-id'],
    });
  });

  it('answers a body over BODY_LIMIT with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t.http.post('/api/v1/test-probes').send({ name: 'x'.repeat(3000) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      statusCode: 413,
      error: 'PAYLOAD_TOO_LARGE',
      message: 'The request body exceeds the limit of 2048 bytes',
      details: [],
      requestId: res.headers['x-request-id'],
    });
  });

  it('answers a Mongo duplicate key with 409 CONFLICT naming the field', async () => {
    const first = await t.http
      .post('/api/v1/test-probes')
      .send({ name: 'unique-name', tags: ['a'] });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as unknown,
      name: 'unique-name',
      tags: ['a'],
    });
    const again = await t.http.post('/api/v1/test-probes').send({ name: 'unique-name' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      statusCode: 409,
      error: 'CONFLICT',
      message: 'A resource with the same name already exists',
      details: [{ field: 'name', message: 'is already taken' }],
      requestId: again.headers['x-request-id'],
    });
    const stored = await t.http.get(`/api/v1/test-probes/${(first.body as { id: string }).id}`);
    expect(stored.body).toEqual(first.body);
  });

  it('answers a thrown domain error with its own code, and a malformed id with 400', async () => {
    const missing = await t.http.get('/api/v1/test-probes/0123456789abcdef01234567');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      error: 'NOT_FOUND',
      message: 'No probe with this id',
      details: [],
    });
    const malformed = await t.http.get('/api/v1/test-probes/not-an-id');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      details: [{ field: 'id', message: 'must be a 24-character hexadecimal id' }],
    });
  });

  it('answers an unexpected error with 500 INTERNAL and leaks nothing', async () => {
    const res = await t.http.get('/api/v1/test-probes/failure');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      statusCode: 500,
      error: 'INTERNAL',
      message: 'An unexpected error occurred',
      details: [],
      requestId: res.headers['x-request-id'],
    });
    expect(res.text).not.toContain(INTERNAL_FAILURE_DETAIL);
    expect(res.text).not.toMatch(/probes\.service|at .*\.ts|stack/i);
  });

  describe('request id', () => {
    it('keeps a sane incoming x-request-id and echoes it in header and body', async () => {
      const res = await t.http.get('/api/v1/nope').set('x-request-id', 'client-id_42.a:b');
      expect(res.headers['x-request-id']).toBe('client-id_42.a:b');
      expect(res.body).toMatchObject({ requestId: 'client-id_42.a:b' });
    });

    it('replaces an insane incoming id with a generated one', async () => {
      const res = await t.http.get('/health/live').set('x-request-id', '<script>alert(1)</script>');
      expect(res.headers['x-request-id']).toMatch(UUID);
    });

    it('generates a fresh id per request when none is sent', async () => {
      const [a, b] = await Promise.all([t.http.get('/health/live'), t.http.get('/health/live')]);
      expect(a.headers['x-request-id']).toMatch(UUID);
      expect(b.headers['x-request-id']).toMatch(UUID);
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    });
  });

  describe('"$" and "." keys', () => {
    const message = 'The request has forbidden keys or is nested too deeply';

    it('rejects them anywhere in a body, even on a route without a DTO', async () => {
      const res = await t.http
        .post('/api/v1/test-probes/log')
        .send({ user: { email: { $ne: null } }, list: [{ 'a.b': 1 }] });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'VALIDATION_FAILED',
        message,
        details: [
          { field: 'list.0.a.b', message: 'body keys must not start with "$" or contain "."' },
          { field: 'user.email.$ne', message: 'body keys must not start with "$" or contain "."' },
        ],
        requestId: res.headers['x-request-id'],
      });
    });

    it('rejects them in a query, bracket syntax included', async () => {
      const res = await t.http.get('/api/v1/test-probes/slow?ms=1&name[$ne]=x&$where=1&a.b=2');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        error: 'VALIDATION_FAILED',
        message,
        details: [
          { field: '$where', message: 'query keys must not start with "$" or contain "."' },
          { field: 'a.b', message: 'query keys must not start with "$" or contain "."' },
          { field: 'name[$ne]', message: 'query keys must not start with "$" or contain "."' },
        ],
      });
    });

    it('accepts "$" and "." inside values', async () => {
      const res = await t.http
        .post('/api/v1/test-probes')
        .send({ name: 'costs $5.00', tags: ['$x', 'a.b'] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'costs $5.00', tags: ['$x', 'a.b'] });
    });
  });
});
