import { normalizePlainText } from './plain-text';

describe('normalizePlainText', () => {
  it('unifies line breaks, removes control characters but tab and line feed, and trims', () => {
    expect(normalizePlainText(' a\r\nb\rc\u0000d\u0085e\tf \n', 'note', 10)).toEqual({
      ok: true,
      text: 'a\nb\ncde\tf',
    });
  });

  it('replaces lone surrogates by U+FFFD and keeps pairs', () => {
    expect(normalizePlainText('q\ud800z\udc00 😀', 'note', 10)).toEqual({
      ok: true,
      text: 'q\ufffdz\ufffd 😀',
    });
  });

  it('counts code points and names the field in each problem', () => {
    expect(normalizePlainText('😀😀', 'note', 2)).toEqual({ ok: true, text: '😀😀' });
    expect(normalizePlainText('😀😀😀', 'note', 2)).toEqual({
      ok: false,
      problem: 'note must be at most 2 characters',
    });
    expect(normalizePlainText(' \u0007 ', 'note', 2)).toEqual({
      ok: false,
      problem: 'note must hold at least 1 character besides spaces',
    });
    expect(normalizePlainText(42, 'note', 2)).toEqual({
      ok: false,
      problem: 'note must be a string',
    });
  });
});
