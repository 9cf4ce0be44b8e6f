import { JwtService } from '@nestjs/jwt';
import { AppConfig, type AuthUser, DomainError, loadConfig, ManualClock } from '@app/common';
import { AccessTokenAuthenticator } from './access-token-authenticator';
import { AccessTokens } from './access-tokens';
import type { SessionGate } from './sessions/session-gate';
import { newSessionId } from './sessions/session-tokens';

const SECRET = 'unit-test-access-token-secret-of-32-characters';
const USER_ID = '64b7f0c2a1b2c3d4e5f60718';

class FakeGate implements Pick<SessionGate, 'admit'> {
  calls: [string, string][] = [];
  admit(sessionId: string, userId: string): Promise<AuthUser> {
    this.calls.push([sessionId, userId]);
    return Promise.resolve({ id: userId, role: 'user', sessionId });
  }
}

function setup(): {
  authenticator: AccessTokenAuthenticator;
  tokens: AccessTokens;
  clock: ManualClock;
  gate: FakeGate;
} {
  const jwt = new JwtService();
  const config = new AppConfig(loadConfig({ NODE_ENV: 'test', ACCESS_TOKEN_TTL_SECONDS: '900' }));
  const clock = new ManualClock(Date.parse('2026-06-01T00:00:00Z'));
  const tokens = new AccessTokens(jwt, config, clock, SECRET);
  const gate = new FakeGate();
  const authenticator = new AccessTokenAuthenticator(
    jwt,
    SECRET,
    tokens,
    gate as unknown as SessionGate,
  );
  return { authenticator, tokens, clock, gate };
}

async function refusal(work: Promise<unknown>): Promise<[string, string]> {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return [(error as DomainError).code, (error as DomainError).message];
}

describe('AccessTokenAuthenticator', () => {
  it('admits the session of a valid token through the gate', async () => {
    const { authenticator, tokens, gate } = setup();
    const sid = newSessionId();
    const token = tokens.issue({ sub: USER_ID, role: 'user', sid });
    await expect(authenticator.authenticate(token)).resolves.toEqual({
      id: USER_ID,
      role: 'user',
      sessionId: sid,
    });
    expect(gate.calls).toEqual([[sid, USER_ID]]);
  });

  it.each([undefined, '', 42, 'not.a.token'])('refuses %p as no valid token', async (token) => {
    const { authenticator, gate } = setup();
    expect(await refusal(authenticator.authenticate(token))).toEqual([
      'UNAUTHORIZED',
      'A valid access token is required',
    ]);
    expect(gate.calls).toEqual([]);
  });

  it('refuses a token signed with another secret, or with another algorithm', async () => {
    const { authenticator, clock } = setup();
    const iat = Math.floor(clock.now().getTime() / 1000);
    const claims = { sub: USER_ID, role: 'user', sid: newSessionId(), iat, exp: iat + 60 };
    const jwt = new JwtService();
    for (const token of [
      jwt.sign(claims, { secret: `${SECRET}-other`, algorithm: 'HS256' }),
      jwt.sign(claims, { secret: SECRET, algorithm: 'HS512' }),
    ]) {
      expect(await refusal(authenticator.authenticate(token))).toEqual([
        'UNAUTHORIZED',
        'A valid access token is required',
      ]);
    }
  });

  it('judges expiry by the injected clock', async () => {
    const { authenticator, tokens, clock } = setup();
    const token = tokens.issue({ sub: USER_ID, role: 'user', sid: newSessionId() });
    clock.advance(900_000);
    expect(await refusal(authenticator.authenticate(token))).toEqual([
      'UNAUTHORIZED',
      'Access token expired',
    ]);
  });

  it('refuses claims without a user id or session id of the right form', async () => {
    const { authenticator, clock } = setup();
    const iat = Math.floor(clock.now().getTime() / 1000);
    for (const claims of [
      { sub: 'nope', sid: newSessionId(), iat, exp: iat + 60 },
      { sub: USER_ID, sid: 'short', iat, exp: iat + 60 },
    ]) {
      expect(await refusal(authenticator.admitClaims(claims))).toEqual([
        'UNAUTHORIZED',
        'A valid access token is required',
      ]);
    }
  });
});
