import { defineLogRedaction, maskPathSecrets, redactedLogPaths } from './log-redaction';

describe('log redactions declared by features', () => {
  it('always hides the transport credentials, and every declared key at any of 4 depths', () => {
    defineLogRedaction({ keys: ['secretField'] });
    const paths = redactedLogPaths();
    expect(paths).toEqual(
      expect.arrayContaining([
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'secretField',
        '*.secretField',
        '*.*.secretField',
        '*.*.*.secretField',
      ]),
    );
  });

  it('masks the declared path secrets and leaves other paths alone', () => {
    defineLogRedaction({ pathSecrets: [/(\/vault\/)[^/?#]+/] });
    expect(maskPathSecrets('/api/v1/vault/s3cr3t/open?x=1')).toBe(
      '/api/v1/vault/[redacted]/open?x=1',
    );
    expect(maskPathSecrets('/api/v1/tokens')).toBe('/api/v1/tokens');
    expect(maskPathSecrets(undefined)).toBeUndefined();
  });
});
