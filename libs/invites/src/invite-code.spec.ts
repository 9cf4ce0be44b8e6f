import {
  formatInviteCode,
  generateInviteCode,
  INVITE_CODE_ALPHABET,
  INVITE_CODE_INPUT_PATTERN,
  INVITE_CODE_LENGTH,
  LONGEST_INVITE_CODE_INPUT,
  normalizeInviteCode,
} from './invite-code';

/** Deterministic strings of symbols, look-alikes, separators and other characters. */
function sampleInputs(count: number): string[] {
  const pool = [
    ...Array.from('K7QMk7qmABZ2901OILUVu_.!é'),
    ' ',
    '-',
    '\u2013',
    '\u00A0',
    '\t',
    '\u{10EAD}',
  ];
  let seed = 7;
  const next = (bound: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % bound;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 8 + next(12) }, () => pool[next(pool.length)]).join(''),
  );
}

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

  it('are documented by a pattern that accepts exactly what normalizeInviteCode reads', () => {
    const pattern = new RegExp(INVITE_CODE_INPUT_PATTERN);
    const documented = (input: string): boolean =>
      pattern.test(input) && Array.from(input).length <= LONGEST_INVITE_CODE_INPUT;
    const inputs = [
      ...sampleInputs(5000),
      'K7QM-3XPA-9RTD',
      ' k7qm 3xpa\u20139rtd ',
      `${'-'.repeat(50)}K7QM3XPA9RTD`,
      `${'-'.repeat(53)}K7QM3XPA9RTD`,
    ];
    const disagreements = inputs.filter(
      (input) => documented(input) !== (normalizeInviteCode(input) !== null),
    );
    expect(disagreements).toEqual([]);
    expect(inputs.filter(documented).length).toBeGreaterThan(2);
  });
});
