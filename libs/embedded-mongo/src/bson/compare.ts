import { Binary, Code, ObjectId, Timestamp } from 'bson';
import { compareNumbers, numberKey } from './numbers';
import {
  asDocument,
  BsonNumber,
  bsonTypeName,
  regexOf,
  stringValue,
  TypeOrder,
  typeOrder,
} from './values';

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Binary comparison of the UTF-8 bytes, as MongoDB's simple collation does. */
export function compareStrings(a: string, b: string): number {
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    return sign(Buffer.compare(Buffer.from(a.slice(i)), Buffer.from(b.slice(i))));
  }
  return sign(a.length - b.length);
}

function compareEntries(a: [string, unknown][], b: [string, unknown][]): number {
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) {
    const [keyA, valueA] = a[i];
    const [keyB, valueB] = b[i];
    const byType = typeOrder(valueA) - typeOrder(valueB);
    if (byType !== 0) return sign(byType);
    const byName = compareStrings(keyA, keyB);
    if (byName !== 0) return byName;
    const byValue = compareValues(valueA, valueB);
    if (byValue !== 0) return byValue;
  }
  return sign(a.length - b.length);
}

function compareBinary(a: Binary, b: Binary): number {
  if (a.position !== b.position) return sign(a.position - b.position);
  if (a.sub_type !== b.sub_type) return sign(a.sub_type - b.sub_type);
  return sign(Buffer.compare(a.value(), b.value()));
}

/** Total order of BSON values as MongoDB compares them (missing and undefined count as null). */
export function compareValues(a: unknown, b: unknown): number {
  const orderA = typeOrder(a);
  const orderB = typeOrder(b);
  if (orderA !== orderB) return sign(orderA - orderB);
  switch (orderA) {
    case TypeOrder.number:
      return compareNumbers(a as BsonNumber, b as BsonNumber);
    case TypeOrder.string:
      return compareStrings(stringValue(a) ?? '', stringValue(b) ?? '');
    case TypeOrder.object:
      return compareEntries(
        Object.entries(asDocument(a) ?? {}),
        Object.entries(asDocument(b) ?? {}),
      );
    case TypeOrder.array:
      return compareEntries(
        (a as unknown[]).map((v, i) => [String(i), v]),
        (b as unknown[]).map((v, i) => [String(i), v]),
      );
    case TypeOrder.binData:
      return compareBinary(a as Binary, b as Binary);
    case TypeOrder.objectId:
      return sign(Buffer.compare((a as ObjectId).id, (b as ObjectId).id));
    case TypeOrder.bool:
      return sign(Number(a) - Number(b));
    case TypeOrder.date:
      return sign((a as Date).getTime() - (b as Date).getTime());
    case TypeOrder.timestamp: {
      const [x, y] = [a as Timestamp, b as Timestamp];
      return x.t !== y.t ? sign(x.t - y.t) : sign(x.i - y.i);
    }
    case TypeOrder.regex: {
      const [x, y] = [regexOf(a as RegExp), regexOf(b as RegExp)];
      return compareStrings(x.pattern, y.pattern) || compareStrings(x.options, y.options);
    }
    case TypeOrder.code:
      return compareStrings((a as Code).code, (b as Code).code);
    default:
      return 0;
  }
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  return compareValues(a, b) === 0;
}

/** Same BSON types, same values, same field order: what a byte-for-byte comparison would say. */
export function identical(a: unknown, b: unknown): boolean {
  if (bsonTypeName(a) !== bsonTypeName(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => identical(v, other[i]));
  }
  const docA = asDocument(a);
  if (docA) {
    const docB = asDocument(b) ?? {};
    const keysA = Object.keys(docA);
    const keysB = Object.keys(docB);
    return (
      keysA.length === keysB.length &&
      keysA.every((k, i) => k === keysB[i] && identical(docA[k], docB[k]))
    );
  }
  if (bsonTypeName(a) === 'decimal') return String(a) === String(b);
  return compareValues(a, b) === 0;
}

/**
 * A string that two values share exactly when they compare equal: the key of hash indexes.
 * Field order counts for documents, as in MongoDB.
 */
export function valueKey(value: unknown): string {
  switch (typeOrder(value)) {
    case TypeOrder.null:
      return 'N';
    case TypeOrder.number:
      return `n${numberKey(value as BsonNumber)}`;
    case TypeOrder.string:
      return `s${stringValue(value) ?? ''}`;
    case TypeOrder.object:
      return `o${JSON.stringify(Object.entries(asDocument(value) ?? {}).flatMap(([k, v]) => [k, valueKey(v)]))}`;
    case TypeOrder.array:
      return `a${JSON.stringify((value as unknown[]).map(valueKey))}`;
    case TypeOrder.binData: {
      const bin = value as Binary;
      return `B${bin.sub_type}:${Buffer.from(bin.value()).toString('base64')}`;
    }
    case TypeOrder.objectId:
      return `O${(value as ObjectId).toHexString()}`;
    case TypeOrder.bool:
      return value ? 'b1' : 'b0';
    case TypeOrder.date:
      return `d${(value as Date).getTime()}`;
    case TypeOrder.timestamp:
      return `t${(value as Timestamp).t}:${(value as Timestamp).i}`;
    case TypeOrder.regex: {
      const { pattern, options } = regexOf(value as RegExp);
      return `r${options}/${pattern}`;
    }
    case TypeOrder.code:
      return `c${(value as Code).code}`;
    case TypeOrder.minKey:
      return 'm';
    default:
      return 'M';
  }
}
