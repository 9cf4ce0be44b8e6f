import { findForbiddenKeys, forbiddenKeyDetails } from './forbidden-keys';

describe('findForbiddenKeys', () => {
  it('finds operator and dotted keys at any depth, inside arrays too', () => {
    const body = {
      email: 'a@b.c',
      filter: { $ne: null },
      'profile.name': 'x',
      list: [{ ok: 1 }, { deeper: { $where: 'sleep(1)' } }],
    };
    expect(findForbiddenKeys(body)).toEqual(['filter.$ne', 'list.1.deeper.$where', 'profile.name']);
  });

  it('accepts values that merely contain "$" or "."', () => {
    expect(findForbiddenKeys({ price: '$5.00', note: 'a.b', tags: ['$x', '.y'] })).toEqual([]);
  });

  it('ignores primitives and null', () => {
    expect(findForbiddenKeys('$where')).toEqual([]);
    expect(findForbiddenKeys(null)).toEqual([]);
  });

  it('survives very deep nesting without recursion', () => {
    let nested: Record<string, unknown> = { $gt: 1 };
    for (let depth = 0; depth < 20000; depth += 1) nested = { a: nested };
    expect(findForbiddenKeys(nested)).toHaveLength(1);
  });
});

describe('forbiddenKeyDetails', () => {
  it('reads bracket segments of query keys and names where each key was found', () => {
    expect(
      forbiddenKeyDetails({ $set: {} }, { 'name[$ne]': 'x', $where: '1', 'a.b': '2', ok: 'y' }),
    ).toEqual([
      { field: '$set', message: 'body keys must not start with "$" or contain "."' },
      { field: '$where', message: 'query keys must not start with "$" or contain "."' },
      { field: 'a.b', message: 'query keys must not start with "$" or contain "."' },
      { field: 'name[$ne]', message: 'query keys must not start with "$" or contain "."' },
    ]);
  });
});
