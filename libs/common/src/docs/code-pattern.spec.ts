import { characterAlternation, codeInputPattern } from './code-pattern';

const SEPARATORS = /[\s\p{Pd}]/gu;

describe('characterAlternation', () => {
  it('matches exactly the code points the regex matches, with the u flag and without', () => {
    const alternation = characterAlternation(SEPARATORS);
    expect(alternation).not.toMatch(/\\[pPsSdDwW]/);
    const withU = new RegExp(`^${alternation}$`, 'u');
    const withoutU = new RegExp(`^${alternation}$`);
    const differences: string[] = [];
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint += 1) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const char = String.fromCodePoint(codePoint);
      const expected = /^[\s\p{Pd}]$/u.test(char);
      if (withU.test(char) !== expected || withoutU.test(char) !== expected) {
        differences.push(codePoint.toString(16));
      }
    }
    expect(differences).toEqual([]);
  });

  it('is computed once per regex', () => {
    expect(characterAlternation(SEPARATORS)).toBe(characterAlternation(/[\s\p{Pd}]/u));
  });
});

describe('codeInputPattern', () => {
  const pattern = new RegExp(
    codeInputPattern({ symbols: 'A-Ca-c', separators: SEPARATORS, count: '2,3' }),
  );

  it.each([['AB'], ['abc'], [' a-b '], ['A\u2013B\u00A0C'], ['-A--B-']])('accepts %j', (input) => {
    expect(pattern.test(input)).toBe(true);
  });

  it.each([[''], ['A'], ['ABCA'], ['A_B'], ['AD'], ['A.B']])('refuses %j', (input) => {
    expect(pattern.test(input)).toBe(false);
  });
});
