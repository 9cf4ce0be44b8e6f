import type { IncomingMessage } from 'node:http';
import { originAllowed } from './realtime-io.adapter';

function handshake(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('originAllowed (the socket handshake takes the HTTP CORS origins)', () => {
  const origins = ['https://app.example'];

  it('takes no Origin (non-browser clients), its own host, and a configured origin', () => {
    expect(originAllowed(handshake({ host: 'api.example' }), origins)).toBe(true);
    expect(
      originAllowed(handshake({ host: 'api.example', origin: 'https://api.example' }), origins),
    ).toBe(true);
    expect(
      originAllowed(handshake({ host: 'api.example', origin: 'https://app.example' }), origins),
    ).toBe(true);
  });

  it('refuses any other origin, a look-alike and a malformed one', () => {
    for (const origin of ['https://evil.example', 'https://app.example.evil', 'null', '::']) {
      expect(originAllowed(handshake({ host: 'api.example', origin }), origins)).toBe(false);
    }
  });
});
