import { avatarUrlOf, avatarVersion, initialsOf } from './avatar-url';

const ID = '6650f1c2a3b4c5d6e7f80912';

describe('generated avatar initials and avatar URLs', () => {
  it.each([
    ['Ada Lovelace', 'AL'],
    ['grace', 'G'],
    ['  émile   zola ', 'ÉZ'],
    ['Дмитрий Иванов', 'ДИ'],
    ['Jean-Luc de la Picard', 'JP'],
    ['ß straße', 'ßS'],
    ['42 Wallaby Way', '4W'],
    ['(Ann) Lee', 'L'],
    ['李小龙', ''],
    ['Ann 李', 'A'],
    ['😀 😀', ''],
  ])('%j has the initials %j', (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
  });

  it('versions a generated avatar by id and initials, an upload by its hash, a banned user by the generated one', () => {
    const user = { id: ID, displayName: 'Ada Lovelace', banned: false, avatarHash: null };
    const version = avatarVersion(user);
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect(avatarVersion({ ...user, displayName: 'Ada Lamb' })).toBe(version);
    expect(avatarVersion({ ...user, displayName: 'Bea Lovelace' })).not.toBe(version);
    expect(avatarVersion({ ...user, id: '6650f1c2a3b4c5d6e7f80913' })).not.toBe(version);
    const uploaded = { ...user, avatarHash: 'ab'.repeat(32) };
    expect(avatarVersion(uploaded)).toBe('ab'.repeat(8));
    expect(avatarVersion({ ...uploaded, banned: true })).toBe(version);
    expect(avatarUrlOf(uploaded)).toBe(`/api/v1/avatars/${ID}?v=${'ab'.repeat(8)}`);
  });
});
