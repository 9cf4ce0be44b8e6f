import {
  formatInviteCode,
  generateInviteCode,
  INVITE_CODE_ALPHABET,
  INVITE_CODE_LENGTH,
  normalizeInviteCode,
} from './invite-code';

describe('invite codes', () => {
  it('carry at least 50 bits of entropy', () => {
    expect(INVITE_CODE_LENGTH * Math.log2(INVITE_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(50);
  });

  it('use an alphabet without look-alike characters', () => {
    expect(new Set(INVITE_CODE_ALPHABET).size).toBe(INVITE_CODE_ALPHABET.length);
    for (const lookAlike of ['0', 'O', '1', 'I', 'L', 'U']) {
      expect(INVITE_CODE_ALPHABET).not.toContain(lookAlike);
    }
  });

  it('are drawn from the whole alphabet, each one different', () => {
    const codes = Array.from({ length: 2000 }, generateInviteCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(normalizeInviteCode(code)).toBe(code);
    const seen = new Set(codes.join(''));
    expect(seen).toEqual(new Set(INVITE_CODE_ALPHABET));
  });

  it('are shown in groups of four', () => {
    expect(formatInviteCode('K7QM3XPA9RTD')).toBe('K7QM-3XPA-9RTD');
  });

  it.each([
    ['K7QM-3XPA-9RTD', 'K7QM3XPA9RTD'],
    ['k7qm-3xpa-9rtd', 'K7QM3XPA9RTD'],
    [' k7qm 3xpa 9rtd ', 'K7QM3XPA9RTD'],
    ['K7QM\u20133XPA\u20149RTD', 'K7QM3XPA9RTD'],
    ['K7QM3XPA9RTD', 'K7QM3XPA9RTD'],
  ])('read %p as %p: case, spaces and dashes do not matter', (input, stored) => {
    expect(normalizeInviteCode(input)).toBe(stored);
  });

  it.each([
    'K7QM-3XPA-9RT',
    'K7QM-3XPA-9RTDA',
    'K7QM-3XPA-9RT0',
    'K7QM-3XPA-9RTI',
    'K7QM_3XPA_9RTD',
    '',
    `${'A'.repeat(12)}${' '.repeat(60)}`,
    42,
    null,
    { $ne: null },
  ])('refuse %p, which cannot be a code', (input) => {
    expect(normalizeInviteCode(input)).toBeNull();
  });
});
