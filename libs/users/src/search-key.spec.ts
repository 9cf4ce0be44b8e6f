import { prefixUpperBound, searchKey } from './search-key';

describe('searchKey', () => {
  it('lower-cases and folds compatibility variants', () => {
    expect(searchKey('ＡnnA')).toBe('anna');
    expect(searchKey('Ǆemal')).toBe('džemal');
  });

  it('keeps regex metacharacters as they are', () => {
    expect(searchKey('A.*(b')).toBe('a.*(b');
  });
});

describe('prefixUpperBound', () => {
  it('moves the last character one code point up', () => {
    expect(prefixUpperBound('ann')).toBe('ano');
    expect(prefixUpperBound('a.*')).toBe('a.+');
  });

  it('bounds every string that starts with the prefix, and none other', () => {
    const bound = prefixUpperBound('ab') ?? '';
    for (const inside of ['ab', 'ab\uffff', 'ab\u{10ffff}', 'abzzz'])
      expect(inside < bound).toBe(true);
    for (const outside of ['ac', 'b']) expect(outside >= bound).toBe(true);
  });

  it('skips the surrogates and carries past the last code point', () => {
    expect(prefixUpperBound('a\ud7ff')).toBe('a\ue000');
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('\u{10ffff}')).toBeNull();
    expect(prefixUpperBound('')).toBeNull();
  });
});
