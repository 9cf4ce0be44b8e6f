import {
  createTestApp,
  INTERNAL_FAILURE_DETAIL,
  type LogLine,
  ProbesModule,
  type TestApp,
} from './support';
import { closeAll } from './support/teardown';

function requestLog(
  lines: LogLine[],
  requestId: string,
): LogLine & { req: { id: string; headers: Record<string, string> } } {
  const line = lines.find(
    (entry) => (entry.req as { id?: string } | undefined)?.id === requestId && 'res' in entry,
  );
  if (line === undefined) throw new Error(`no request log line for ${requestId}`);
  return line as LogLine & { req: { id: string; headers: Record<string, string> } };
}

describe('structured logs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbesModule], env: { LOG_LEVEL: 'info' } });
  });

  afterAll(async () => {
    await closeAll(t);
  });

  it('never writes an invite code from the path into the request log', async () => {
    const code = 'QWER-TYPK-ZXCV';
    const res = await t.http
      .get(`/api/v1/invites/${code}/check`)
      .set('x-request-id', 'log-invite-code');
    expect(res.status).toBe(200);
    const line = requestLog(t.logs.lines(), 'log-invite-code');
    expect(line.req).toMatchObject({ url: '/api/v1/invites/[redacted]/check' });
    expect(JSON.stringify(t.logs.lines())).not.toContain(code);
  });

  it('writes one JSON request line carrying the request id, with credentials redacted', async () => {
    const res = await t.http
      .post('/api/v1/test-probes/log')
      .set('x-request-id', 'log-test-1')
      .set('authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.secret.sig')
      .set('cookie', 'refresh_token=very-secret-refresh')
      .send({
        email: 'a@b.c',
        password: 'hunter2-password',
        nested: { newPassword: 'other-secret-pw' },
      });
    expect(res.status).toBe(204);
    const line = requestLog(t.logs.lines(), 'log-test-1');
    expect(line).toMatchObject({ level: 30, msg: 'request completed', res: { statusCode: 204 } });
    expect(line.req.headers).toMatchObject({ authorization: '[redacted]', cookie: '[redacted]' });
    const bodyLine = t.logs.lines().find((entry) => entry.msg === 'probe body received');
    expect(bodyLine).toMatchObject({
      req: { id: 'log-test-1' },
      body: { email: 'a@b.c', password: '[redacted]', nested: { newPassword: '[redacted]' } },
    });
    for (const secret of [
      'eyJhbGciOiJIUzI1NiJ9',
      'very-secret-refresh',
      'hunter2-password',
      'other-secret-pw',
    ]) {
      expect(t.logs.text()).not.toContain(secret);
    }
  });

  it('logs an unexpected error with its stack while the response shows none', async () => {
    const res = await t.http.get('/api/v1/test-probes/failure').set('x-request-id', 'log-test-500');
    expect(res.status).toBe(500);
    const errorLine = t.logs
      .lines()
      .find(
        (entry) =>
          entry.msg === 'Unexpected error answered as 500' && entry.requestId === 'log-test-500',
      );
    expect(errorLine).toMatchObject({
      level: 50,
      err: {
        message: INTERNAL_FAILURE_DETAIL,
        stack: expect.stringContaining('ProbesService.fail') as unknown,
      },
    });
    expect(requestLog(t.logs.lines(), 'log-test-500')).toMatchObject({
      level: 50,
      res: { statusCode: 500 },
    });
  });

  it('keeps health probes out of the request log', async () => {
    await t.http.get('/health/live').set('x-request-id', 'log-test-probe');
    expect(t.logs.text()).not.toContain('log-test-probe');
  });
});
