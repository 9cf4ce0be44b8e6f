import { acceptedRequestId } from './request-id';

describe('acceptedRequestId', () => {
  it('keeps a sane incoming id', () => {
    expect(acceptedRequestId('req-42_a.b:c')).toBe('req-42_a.b:c');
    expect(acceptedRequestId('x'.repeat(128))).toBe('x'.repeat(128));
  });

  it('refuses empty, long, repeated or odd ids', () => {
    for (const incoming of [
      '',
      'x'.repeat(129),
      'a b',
      'id\nforged: 1',
      '<script>',
      ['a', 'b'],
      undefined,
    ]) {
      expect(acceptedRequestId(incoming)).toBeUndefined();
    }
  });
});
