import {
  Binary,
  BSONRegExp,
  BSONSymbol,
  Code,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';

/** A BSON document as the store keeps it: values stay BSON-typed (Int32, Double, Long, …). */
export type Doc = Record<string, unknown>;

/** Marks a path that does not exist in a document (distinct from an explicit null). */
export const MISSING: unique symbol = Symbol('missing');
export type Missing = typeof MISSING;

export type BsonNumber = Int32 | Double | Long | Decimal128 | number;

/** MongoDB's canonical type order, used for comparison and sort across types. */
export const TypeOrder = {
  minKey: 1,
  emptyArray: 3,
  null: 5,
  number: 10,
  string: 15,
  object: 20,
  array: 25,
  binData: 30,
  objectId: 35,
  bool: 40,
  date: 45,
  timestamp: 47,
  regex: 50,
  code: 60,
  maxKey: 127,
} as const;

export function isPlainObject(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function bsontype(value: object): string | undefined {
  return (value as { _bsontype?: string })._bsontype;
}

export function isNumeric(value: unknown): value is BsonNumber {
  if (typeof value === 'number') return true;
  if (value === null || typeof value !== 'object') return false;
  const t = bsontype(value);
  return t === 'Int32' || t === 'Double' || t === 'Long' || t === 'Decimal128';
}

export function isArray(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

export function isRegex(value: unknown): value is BSONRegExp | RegExp {
  return value instanceof BSONRegExp || value instanceof RegExp;
}

export function typeOrder(value: unknown): number {
  if (value === null || value === undefined || value === MISSING) return TypeOrder.null;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return TypeOrder.number;
    case 'string':
      return TypeOrder.string;
    case 'boolean':
      return TypeOrder.bool;
    case 'object':
      break;
    default:
      return TypeOrder.maxKey;
  }
  if (Array.isArray(value)) return TypeOrder.array;
  if (value instanceof Date) return TypeOrder.date;
  if (value instanceof RegExp) return TypeOrder.regex;
  switch (bsontype(value)) {
    case 'Int32':
    case 'Double':
    case 'Long':
    case 'Decimal128':
      return TypeOrder.number;
    case 'BSONSymbol':
      return TypeOrder.string;
    case 'Binary':
      return TypeOrder.binData;
    case 'ObjectId':
      return TypeOrder.objectId;
    case 'Timestamp':
      return TypeOrder.timestamp;
    case 'BSONRegExp':
      return TypeOrder.regex;
    case 'Code':
      return TypeOrder.code;
    case 'MinKey':
      return TypeOrder.minKey;
    case 'MaxKey':
      return TypeOrder.maxKey;
    default:
      return TypeOrder.object;
  }
}

/** The BSON type alias MongoDB uses in `$type` and in error messages. */
export function bsonTypeName(value: unknown): string {
  if (value === MISSING) return 'missing';
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? 'int' : 'double';
    case 'bigint':
      return 'long';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'object':
      break;
    default:
      return 'object';
  }
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  const names: Record<string, string> = {
    Int32: 'int',
    Double: 'double',
    Long: 'long',
    Decimal128: 'decimal',
    BSONSymbol: 'symbol',
    Binary: 'binData',
    ObjectId: 'objectId',
    Timestamp: 'timestamp',
    BSONRegExp: 'regex',
    Code: 'javascript',
    MinKey: 'minKey',
    MaxKey: 'maxKey',
  };
  return names[bsontype(value) ?? ''] ?? 'object';
}

/** The string of a string or a symbol, else undefined. */
export function stringValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof BSONSymbol) return value.valueOf();
  return undefined;
}

/** DBRef and other document-like classes seen as plain documents. */
export function asDocument(value: unknown): Doc | undefined {
  if (isPlainObject(value)) return value;
  if (value instanceof DBRef) return value.toJSON();
  return undefined;
}

/**
 * Sets a field of a document as its own data property. A plain assignment of `__proto__` would
 * change the object's prototype instead; MongoDB stores `__proto__` as an ordinary field name.
 */
export function setField(doc: Doc, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(doc, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    doc[key] = value;
  }
}

/** The value of a document's own field, or undefined (never an inherited property). */
export function ownField(doc: Doc, key: string): unknown {
  return Object.hasOwn(doc, key) ? doc[key] : undefined;
}

/**
 * A copy of a document tree whose objects and arrays can be changed without touching the
 * original; BSON scalar classes are immutable and shared.
 */
export function cloneValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => cloneValue(v)) as T;
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const key of Object.keys(value)) setField(out, key, cloneValue(value[key]));
    return out as T;
  }
  if (value instanceof Date) return new Date(value.getTime()) as T;
  return value;
}

export function regexOf(value: BSONRegExp | RegExp): { pattern: string; options: string } {
  if (value instanceof RegExp) return { pattern: value.source, options: value.flags };
  return { pattern: value.pattern, options: value.options };
}

export { Binary, Code, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp };
