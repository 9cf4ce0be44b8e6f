import { duplicateKeyFields } from './duplicate-key';

describe('duplicateKeyFields', () => {
  it('names the fields of the index a write collided with, never their values', () => {
    const error = Object.assign(new Error('E11000 duplicate key'), {
      code: 11000,
      keyPattern: { createdBy: 1, slot: 1 },
      keyValue: { createdBy: 'x', slot: 3 },
    });
    expect(duplicateKeyFields(error)).toEqual(['createdBy', 'slot']);
    expect(duplicateKeyFields({ code: 11000, keyValue: { email: 'a@b.c' } })).toEqual(['email']);
    expect(duplicateKeyFields({ code: 11000 })).toEqual([]);
  });

  it('says null for anything that is not a duplicate key', () => {
    for (const error of [new Error('boom'), { code: 11001 }, null, undefined, 'E11000']) {
      expect(duplicateKeyFields(error)).toBeNull();
    }
  });
});
