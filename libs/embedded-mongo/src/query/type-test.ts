import { toDouble } from '../bson/numbers';
import { bsonTypeName, isNumeric, MISSING } from '../bson/values';
import { badValue } from '../errors';

const TYPE_ALIASES: Record<string, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  6: 'undefined',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  12: 'dbPointer',
  13: 'javascript',
  14: 'symbol',
  15: 'javascriptWithScope',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  '-1': 'minKey',
  127: 'maxKey',
};

/** The test of `$type`: a BSON type alias or number, or a list of them; `number` is any numeric type. */
export function typeTest(arg: unknown): (value: unknown) => boolean {
  const wanted = (Array.isArray(arg) ? arg : [arg]).map((t: unknown) => {
    const name = isNumeric(t) ? TYPE_ALIASES[String(toDouble(t))] : t;
    if (
      typeof name !== 'string' ||
      !(name === 'number' || Object.values(TYPE_ALIASES).includes(name))
    ) {
      throw badValue(`Unknown type name alias: ${String(name)}`);
    }
    return name;
  });
  return (x) => {
    if (x === MISSING) return false;
    const name = bsonTypeName(x);
    return wanted.some((t) => t === name || (t === 'number' && isNumeric(x)));
  };
}
