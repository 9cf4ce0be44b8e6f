import { inspectPayload, MAX_PAYLOAD_DEPTH, payloadDetails } from './forbidden-keys';

describe('inspectPayload: operator keys', () => {
  it('finds operator and dotted keys at any depth, inside arrays too', () => {
    const body = {
      email: 'a@b.c',
      filter: { $ne: null },
      'profile.name': 'x',
      list: [{ ok: 1 }, { deeper: { $where: 'sleep(1)' } }],
    };
    expect(inspectPayload(body).keys).toEqual([
      'filter.$ne',
      'list.1.deeper.$where',
      'profile.name',
    ]);
  });

  it('accepts values that merely contain "$" or "."', () => {
    expect(inspectPayload({ price: '$5.00', note: 'a.b', tags: ['$x', '.y'] }).keys).toEqual([]);
  });

  it('ignores primitives and null', () => {
    expect(inspectPayload('$where').keys).toEqual([]);
    expect(inspectPayload(null).keys).toEqual([]);
  });

  it('survives very deep nesting without recursion, and stops descending at the limit', () => {
    let nested: Record<string, unknown> = { $gt: 1 };
    for (let depth = 0; depth < 20000; depth += 1) nested = { a: nested };
    expect(inspectPayload(nested)).toEqual({
      keys: [],
      prototypeKeys: [],
      tooDeep: expect.any(String) as unknown,
    });
  });
});

describe('payloadDetails', () => {
  it('reads bracket segments of query keys and names where each key was found', () => {
    expect(
      payloadDetails({ $set: {} }, { 'name[$ne]': 'x', $where: '1', 'a.b': '2', ok: 'y' }),
    ).toEqual([
      { field: '$set', message: 'body keys must not start with "$" or contain "."' },
      { field: '$where', message: 'query keys must not start with "$" or contain "."' },
      { field: 'a.b', message: 'query keys must not start with "$" or contain "."' },
      { field: 'name[$ne]', message: 'query keys must not start with "$" or contain "."' },
    ]);
  });
});

describe('inspectPayload', () => {
  it('finds __proto__, constructor and prototype keys at any depth, parsed as own keys', () => {
    const body: unknown = JSON.parse(
      '{"__proto__":{"admin":true},"a":{"constructor":{"prototype":1}},"list":[{"prototype":2}]}',
    );
    expect(inspectPayload(body).prototypeKeys).toEqual([
      '__proto__',
      'a.constructor',
      'list.0.prototype',
    ]);
  });

  it('accepts nesting up to the limit and names the top field of anything deeper', () => {
    const nest = (levels: number): unknown => {
      let value: unknown = 1;
      for (let level = 0; level < levels; level += 1) value = { a: value };
      return value;
    };
    expect(inspectPayload(nest(MAX_PAYLOAD_DEPTH)).tooDeep).toBeUndefined();
    expect(inspectPayload(nest(MAX_PAYLOAD_DEPTH + 1)).tooDeep).toBe(
      Array(MAX_PAYLOAD_DEPTH).fill('a').join('.'),
    );
    expect(payloadDetails(nest(2000), {})).toEqual([
      { field: 'a', message: `body must not be nested deeper than ${MAX_PAYLOAD_DEPTH} levels` },
    ]);
    expect(payloadDetails({}, { [`x${'[a]'.repeat(MAX_PAYLOAD_DEPTH)}`]: '1' })).toEqual([
      {
        field: `x${'[a]'.repeat(MAX_PAYLOAD_DEPTH)}`,
        message: `query must not be nested deeper than ${MAX_PAYLOAD_DEPTH} levels`,
      },
    ]);
  });
});
