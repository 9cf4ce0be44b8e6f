import { displayNameProblem, nameSkeleton, RESERVED_NAMES } from './display-name';

const BLANK = 'must not contain control, invisible, blank or line-separating characters';
const INVISIBLE = 'must show at least 2 visible characters';
const RESERVED =
  'must not be, or look like, a reserved name (admin, moderator, support, system, …)';

describe('displayNameProblem', () => {
  it.each([
    ['Ada', undefined],
    ['Jean-Luc Picard', undefined],
    ['Zoë', undefined],
    ['Łukasz Żółć', undefined],
    ['山田 太郎', undefined],
    ['김민준', undefined],
    ['Дмитрий', undefined],
    ['Ada ❤️', undefined],
    ['👩‍💻 Grace', undefined],
    ['Administrative Ada', undefined],
    ['Admins', undefined],
    ['A', 'must be 2 to 40 characters long'],
    ['x'.repeat(41), 'must be 2 to 40 characters long'],
    ['\u3164\u3164', BLANK],
    ['Ada\u3164', BLANK],
    ['\uFFA0\uFFA0', BLANK],
    ['\u2800\u2800', INVISIBLE],
    ['A\u2800', INVISIBLE],
    ['Ada\u2028Lovelace', BLANK],
    ['Ada\u2029Lovelace', BLANK],
    ['Ada\u200BLovelace', BLANK],
    ['Ada\u202Eecalevol', BLANK],
    ['Ada\u0007', BLANK],
    ['\u0301\u0301', INVISIBLE],
    ['admin', RESERVED],
    ['ADMIN', RESERVED],
    ['\u0410dmin', RESERVED],
    ['Adm\u0456n', RESERVED],
    ['\u13AADMIN', RESERVED],
    ['Ａｄｍｉｎ', RESERVED],
    ['a d m i n', RESERVED],
    ['AdMiN', RESERVED],
    ['ADM\u0399N', RESERVED],
    ['\u13AAdMIN', RESERVED],
    ['\u{1D41A}\u{1D41D}\u{1D426}\u{1D422}\u{1D427}', RESERVED],
    ['Administrator', RESERVED],
    ['M\u043Ederator', RESERVED],
    ['\u0405upport', RESERVED],
    ['S\u0443stem', RESERVED],
    ['DobKonektor', RESERVED],
    ['D\u043EbK\u043Enekt\u043Er', RESERVED],
  ])('%j → %s', (name, problem) => {
    expect(displayNameProblem(name)).toBe(problem);
  });
});

describe('nameSkeleton', () => {
  it('maps look-alike letters of other scripts onto one prototype, case-insensitively', () => {
    expect(nameSkeleton('\u0410dmin')).toBe(nameSkeleton('admin'));
    expect(nameSkeleton('\u0440\u0430\u0443\u0440\u0430l')).toBe(nameSkeleton('paypal'));
    expect(nameSkeleton('Ada')).not.toBe(nameSkeleton('Adam'));
  });

  it('gives every reserved name a distinct skeleton', () => {
    expect(new Set(RESERVED_NAMES.map(nameSkeleton)).size).toBe(RESERVED_NAMES.length);
  });
});
